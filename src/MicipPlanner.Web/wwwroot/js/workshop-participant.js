// Participant page: follows the step the facilitator opens, and shows the ended page when the workshop closes.
(function () {
    "use strict";
    var page = document.getElementById("participant-page");
    if (!page) return;
    var POLL_INTERVAL = 5000;
    var step = page.dataset.step;
    var group = page.dataset.group || "";
    function busy() {
        // Never reload over text being typed: the rubric autosave and the forms keep it until saved.
        var active = document.activeElement;
        return active && (active.tagName === "TEXTAREA" || (active.tagName === "INPUT" && active.type === "text")) && active.value !== "";
    }
    function poll() {
        fetch(page.dataset.stateUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
            .then(function (r) {
                if (r.status === 410 || r.status === 403 || r.status === 401) { window.location.reload(); return null; }
                return r.ok ? r.json() : null;
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
                }
            })
            .catch(function () { /* try again at the next tick */ })
            .finally(function () { setTimeout(poll, POLL_INTERVAL); });
    }
    setTimeout(poll, POLL_INTERVAL);
})();
