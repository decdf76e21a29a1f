// Rubric page: autosave a few seconds after a change, conflict handling, live updates from other members.
(function () {
    "use strict";
    var page = document.getElementById("rubric-page");
    if (!page) return;
    var editable = page.dataset.editable === "true";
    var changesUrl = page.dataset.changesUrl;
    var since = Number(page.dataset.since || "0");
    var liveStatus = document.getElementById("live-status");
    var notice = document.getElementById("remote-notice");
    var tokenInput = document.querySelector("input[name='__RequestVerificationToken']");
    var AUTOSAVE_DELAY = 3000;
    var forms = Array.prototype.slice.call(document.querySelectorAll(".rating-form"));
    var state = new Map();

    function announce(text) { if (liveStatus) { liveStatus.textContent = text; } }
    function statusOf(form) { return form.querySelector(".save-status"); }
    function setStatus(form, text) { var s = statusOf(form); if (s) { s.textContent = text; } }
    function anyDirty() { return forms.some(function (f) { return state.get(f).dirty; }); }

    function markSelected(form) {
        form.querySelectorAll(".level-cell").forEach(function (cell) {
            var radio = cell.querySelector(".level-radio");
            cell.classList.toggle("is-selected", !!(radio && radio.checked));
        });
    }

    function fill(form, level, evidence, version) {
        form.querySelectorAll(".level-radio").forEach(function (radio) { radio.checked = String(level) === radio.value; });
        form.querySelector("textarea[name='Evidence']").value = evidence || "";
        form.querySelector(".version-field").value = version || "";
        markSelected(form);
    }

    function showConflict(form, data) {
        var old = form.querySelector(".js-conflict");
        if (old) { old.remove(); }
        var box = document.createElement("div");
        box.className = "alert alert-warning mt-3 js-conflict";
        box.setAttribute("role", "alert");
        var title = document.createElement("p");
        title.className = "fw-semibold mb-1";
        title.textContent = data.detail || "Someone else saved this row while you were editing.";
        var theirs = document.createElement("p");
        theirs.className = "mb-1";
        theirs.textContent = "Their level: " + (data.theirs.level ? levelName(form, data.theirs.level) : "none") + (data.theirs.at ? " (" + data.theirs.at + ")" : "");
        var quote = document.createElement("blockquote");
        quote.className = "border-start ps-2 mb-2 conflict-theirs";
        quote.textContent = data.theirs.evidence || "";
        var keep = document.createElement("button");
        keep.type = "button";
        keep.className = "btn btn-warning btn-sm me-2";
        keep.textContent = "Keep mine";
        keep.addEventListener("click", function () {
            form.querySelector(".version-field").value = data.theirs.version;
            box.remove();
            save(form);
        });
        var take = document.createElement("button");
        take.type = "button";
        take.className = "btn btn-outline-dark btn-sm";
        take.textContent = "Take theirs";
        take.addEventListener("click", function () {
            fill(form, data.theirs.level, data.theirs.evidence, data.theirs.version);
            state.get(form).dirty = false;
            box.remove();
            setStatus(form, "Showing the version saved by " + (data.theirs.by || "another member"));
        });
        box.append(title, theirs, quote, keep, take);
        form.querySelector("fieldset").appendChild(box);
        keep.focus();
    }

    function levelName(form, level) {
        var label = form.querySelector("label[for$='-level-" + level + "'] .level-name");
        return label ? label.textContent : String(level);
    }

    function save(form) {
        var s = state.get(form);
        clearTimeout(s.timer);
        if (s.saving) { s.again = true; return; }
        s.saving = true;
        s.dirty = false;
        setStatus(form, "Saving…");
        var body = new FormData(form);
        fetch(form.action, {
            method: "POST",
            body: body,
            headers: { "Accept": "application/json", "RequestVerificationToken": tokenInput ? tokenInput.value : "" },
            credentials: "same-origin"
        }).then(function (response) {
            // Saved: { saved, version, savedAt }; refused: a problem (application/problem+json) whose detail says why.
            return response.json().catch(function () { return {}; }).then(function (data) { return { status: response.status, data: data }; });
        }).then(function (result) {
            if (result.status === 200 && result.data.saved) {
                form.querySelector(".version-field").value = result.data.version;
                setStatus(form, "Saved at " + result.data.savedAt);
                announce("Row saved at " + result.data.savedAt);
            } else if (result.status === 409 && result.data.conflict) {
                s.dirty = true;
                setStatus(form, "Not saved: conflict");
                showConflict(form, result.data);
            } else if (result.status === 409 && result.data.locked) {
                setStatus(form, result.data.detail);
            } else if (result.status === 400 && result.data.errors) {
                s.dirty = true;
                var messages = [];
                Object.keys(result.data.errors).forEach(function (k) { messages = messages.concat(result.data.errors[k]); });
                setStatus(form, "Not saved: " + messages.join(" "));
            } else if (result.data.detail) {
                s.dirty = true;
                setStatus(form, "Not saved: " + result.data.detail);
            } else {
                s.dirty = true;
                setStatus(form, "Not saved (error " + result.status + "). Your text is still here; try Save again.");
            }
        }).catch(function () {
            s.dirty = true;
            setStatus(form, "Not saved: the connection failed. Your text is still here; try Save again.");
        }).finally(function () {
            s.saving = false;
            if (s.again) { s.again = false; save(form); }
        });
    }

    forms.forEach(function (form) {
        state.set(form, { dirty: false, timer: null, saving: false, again: false });
        if (!editable) return;
        var onChange = function () {
            var s = state.get(form);
            s.dirty = true;
            markSelected(form);
            setStatus(form, "Unsaved changes");
            clearTimeout(s.timer);
            s.timer = setTimeout(function () { save(form); }, AUTOSAVE_DELAY);
        };
        form.addEventListener("input", onChange);
        form.addEventListener("change", onChange);
        form.addEventListener("submit", function () { state.get(form).dirty = false; clearTimeout(state.get(form).timer); });
    });

    window.addEventListener("beforeunload", function (event) {
        if (editable && anyDirty()) { event.preventDefault(); event.returnValue = ""; }
    });

    // Applies a changes answer ({ now, changes }): from this script's own request on the rubric page, or handed over by
    // the workshop participant page, which asks once for its step and these changes together.
    function applyChanges(data) {
        since = data.now;
        applyEach(data.changes);
    }
    // Changes pushed whole (a workshop seat hears its group's ratings): shown as fetched ones, and the next fetch still
    // starts from the last answer's time, so nothing pushed while the connection was away is skipped.
    function applyEach(changes) {
        changes.forEach(function (change) {
            if (change.mine) return;
            var form = document.querySelector(".rating-form[data-row-key='" + change.rowKey + "']");
            if (!form) return;
            var current = form.querySelector(".version-field").value;
            if (current === change.version) return;
            if (state.get(form).dirty) {
                notice.textContent = (change.by || "Another member") + " changed row \"" + change.rowKey + "\" while you are editing it. Saving will show both versions.";
                notice.classList.remove("d-none");
                return;
            }
            fill(form, change.level, change.evidence, change.version);
            setStatus(form, "Updated by " + (change.by || "another member") + " at " + change.at);
            announce("Row updated by " + (change.by || "another member"));
        });
    }
    window.micipRubric = { applyChanges: applyChanges, applyPushed: applyEach };

    // Pushed news (live.js): the district changed, so ask for this group's changes since the last answer.
    var asking = false, again = false;
    function askChanges() {
        if (asking) { again = true; return; }
        asking = true;
        fetch(changesUrl + "?since=" + since, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (data) { if (data) { applyChanges(data); } })
            .catch(function () { /* asked again at the next change or reconnect */ })
            .finally(function () {
                asking = false;
                if (again) { again = false; askChanges(); }
            });
    }
    var scope = changesUrl ? /\/districts\/(\d+)\/cycles\/(\d+)/.exec(changesUrl) : null;
    if (scope && window.micipLive) {
        window.micipLive({ hub: "/live", watch: [Number(scope[1]), Number(scope[2])], changed: askChanges });
    }
})();
