// Presenter view: the timer counts down locally; counts and the heat map follow the room through the district's data
// version (data-version.js): the small JSON state answers "unchanged" while nothing in the district changed. Ratings
// alone need no asking: their heat map rows arrive whole ("tally") while the rating step is open.
(function () {
    "use strict";
    var root = document.getElementById("presenter");
    if (!root) return;
    var POLL_INTERVAL = 3000;
    var step = root.dataset.step;
    var timer = document.getElementById("timer");
    var remaining = timer ? Number(timer.dataset.remaining) : 0;
    var running = timer ? timer.dataset.running === "true" : false;

    function format(seconds) {
        var sign = seconds < 0 ? "−" : "";
        var abs = Math.abs(seconds);
        var s = abs % 60;
        return sign + Math.floor(abs / 60) + ":" + (s < 10 ? "0" : "") + s;
    }
    function tick() {
        if (!timer) return;
        if (running) { remaining -= 1; }
        timer.textContent = format(remaining);
        timer.classList.toggle("over-time", remaining < 0);
    }
    setInterval(tick, 1000);

    function setText(selector, text) {
        var el = root.querySelector(selector);
        if (el && el.textContent !== String(text)) { el.textContent = text; }
    }
    function applyHeat(rows, groupCount) {
        rows.forEach(function (row) {
            row.counts.forEach(function (count, i) {
                var cell = root.querySelector("[data-heat='" + row.key + "-" + (i + 1) + "']");
                if (!cell) return;
                cell.className = "heat heat-" + Math.min(count, 4);
                cell.querySelector(".heat-count").textContent = count;
                cell.querySelector(".heat-groups").textContent = row.groups[i].join(", ");
            });
            var flag = root.querySelector("[data-flag='" + row.key + "']");
            if (flag) { flag.classList.toggle("d-none", !row.flagged); }
            setText("[data-rated='" + row.key + "']", row.rated + " of " + groupCount);
        });
    }
    function apply(data) {
        if (data.step !== step || !data.open) { window.location.reload(); return; }
        setText("#participant-count", data.participants);
        data.groups.forEach(function (g) { setText("[data-group-count='" + g.id + "']", g.count); });
        if (timer) { remaining = data.timer.remaining; running = data.timer.running; }
        applyHeat(data.heat, data.groups.length);
        Object.keys(data.examples).forEach(function (k) { setText("[data-example='" + k + "']", data.examples[k]); });
        Object.keys(data.reflections).forEach(function (k) { setText("[data-outcome='" + k + "']", data.reflections[k]); });
        Object.keys(data.answered).forEach(function (k) { setText("[data-answered='" + k + "']", data.answered[k] ? "✔" : "…"); });
        Object.keys(data.decisions || {}).forEach(function (k) { setText("[data-decision='" + k + "']", data.decisions[k]); });
        var live = document.getElementById("presenter-live");
        if (live) { live.textContent = data.participants + " joined"; }
    }
    var workshop = Number(root.dataset.workshop);
    var following = window.micipFollowDataVersion(root.dataset.stateUrl, root.dataset.version, POLL_INTERVAL, apply, {
        method: "Present",
        watch: [Number(root.dataset.district), Number(root.dataset.cycle), workshop],
        // Ratings alone change only the heat map, which the tally brings; a state newer than the tally is kept.
        skips: function (message) { return message.onlyRatings; },
        messages: {
            tally: function (tally) {
                if (tally.workshop === workshop && tally.v >= following.shown()) { applyHeat(tally.heat, tally.groups); }
            }
        }
    });
})();
