// Participant page: while rating, the seat's live connection (live.js) brings the group's ratings themselves, handed to
// rubric.js. When it hears that something else changed (or comes back after being away), one request for the step the
// facilitator opened, the seat's group and (while rating) the group's rating changes; the answer is 204 when nothing
// moved. The page reloads to the ended or removed page when the seat is closed. On the evaluation step the answer says
// when someone else saved an evaluation: the page shows it again, unless this person has entries not yet saved.
(function () {
    "use strict";
    var page = document.getElementById("participant-page");
    if (!page) return;
    var step = page.dataset.step;
    var group = page.dataset.group || "";
    var since = Number(page.dataset.since || "0");
    var edited = false;
    page.addEventListener("input", function () { edited = true; });
    function say(text) {
        var notice = document.getElementById("step-notice");
        if (!notice) return;
        notice.textContent = text;
        notice.classList.remove("visually-hidden");
        notice.classList.add("alert", "alert-warning");
    }
    function busy() {
        // Never reload over text being typed: the rubric autosave and the forms keep it until saved.
        var active = document.activeElement;
        return active && (active.tagName === "TEXTAREA" || (active.tagName === "INPUT" && active.type === "text")) && active.value !== "";
    }
    function url() {
        return page.dataset.pollUrl + "?step=" + encodeURIComponent(step) + "&group=" + encodeURIComponent(group) + "&since=" + since;
    }
    var asking = false, again = false;
    function ask() {
        if (asking) { again = true; return; }
        asking = true;
        fetch(url(), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
            .then(function (r) {
                if (r.status === 410 || r.status === 403 || r.status === 401) { window.location.reload(); return null; }
                return r.status === 200 ? r.json() : null;
            })
            .then(function (data) {
                if (!data) return;
                if (data.step !== step || String(data.group || "") !== group) {
                    if (busy()) {
                        var notice = document.getElementById("step-notice");
                        if (notice) { notice.textContent = "The facilitator opened the next step. Save your text; the page moves on after that."; }
                        return;
                    }
                    window.location.reload();
                    return;
                }
                if (data.refresh) {
                    if (edited || busy()) { say("Someone else saved an evaluation. Save yours first; if it was the same goal, the page then shows theirs for you to make your change again."); }
                    else { window.location.reload(); }
                    return;
                }
                if (!data.rubric) return;
                since = data.rubric.now;
                if (window.micipRubric) { window.micipRubric.applyChanges(data.rubric); }
            })
            .catch(function () { /* asked again at the next change or reconnect */ })
            .finally(function () {
                asking = false;
                if (again) { again = false; ask(); }
            });
    }
    if (window.micipLive) {
        window.micipLive({
            hub: page.dataset.liveUrl, watch: null, changed: ask, closed: function () { window.location.reload(); },
            // The group's ratings arrive whole while the rating step is open: shown without asking.
            messages: { ratings: function (changes) { if (window.micipRubric && changes) { window.micipRubric.applyPushed(changes); } } }
        });
    }
})();
