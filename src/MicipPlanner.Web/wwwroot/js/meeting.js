// Monitoring meeting: check-ins and values recorded without leaving the page (several people at once, each on their own
// device), and the page's sections swapped in again for everyone viewing it when the district's data version moves
// (data-version.js). What someone is typing is never lost to a refresh: a form with unsaved entries keeps them.
(function () {
    "use strict";
    var root = document.getElementById("meeting-sections");
    if (!root || !window.micipFollowDataVersion) return;
    var POLL_INTERVAL = 4000;
    var live = document.getElementById("meeting-live");
    var state = {}; // per form, by its action (the same after a refresh): { dirty, saving, status, kind }

    function entry(form) {
        var k = form.getAttribute("action");
        return state[k] || (state[k] = { dirty: false, saving: false, status: "", kind: "" });
    }
    function anySaving() { return Object.keys(state).some(function (k) { return state[k].saving; }); }
    function anyDirty() { return Object.keys(state).some(function (k) { return state[k].dirty; }); }
    function say(form, text, kind) {
        var s = entry(form);
        s.status = text;
        s.kind = kind;
        var box = form.querySelector(".save-status");
        if (box) { box.textContent = text; box.dataset.state = kind; }
    }
    function clearErrors(form) { form.querySelectorAll(".text-danger[id$='-error']").forEach(function (e) { e.textContent = ""; }); }
    function showErrors(form, errors) {
        var messages = [];
        Object.keys(errors).forEach(function (field) {
            var input = form.querySelector("[name='" + field + "']");
            var place = input ? document.getElementById(input.getAttribute("aria-describedby")) : null;
            if (place) { place.textContent = errors[field][0]; }
            messages = messages.concat(errors[field]);
        });
        return messages;
    }

    function save(form) {
        var s = entry(form);
        if (s.saving) return;
        s.saving = true;
        var button = form.querySelector("button[type='submit']");
        if (button) { button.disabled = true; }
        say(form, "Saving…", "saving");
        var token = form.querySelector("input[name='__RequestVerificationToken']");
        fetch(form.action, {
            method: "POST", body: new FormData(form), credentials: "same-origin",
            headers: { "Accept": "application/json", "RequestVerificationToken": token ? token.value : "" }
        }).then(function (r) {
            // Saved: { saved, id, savedAt }; refused: a problem (application/problem+json) whose detail or errors say why.
            return r.json().catch(function () { return {}; }).then(function (d) { return { status: r.status, data: d }; });
        }).then(function (res) {
            clearErrors(form);
            if (res.status === 200 && res.data.saved) {
                s.dirty = false;
                say(form, "Saved at " + res.data.savedAt, "saved");
                if (live) { live.textContent = "Saved at " + res.data.savedAt; }
            } else if (res.status === 409) {
                say(form, "Not saved: " + (res.data.detail || "someone else changed this meanwhile; the page shows their version."), "conflict");
            } else if (res.status === 400 && res.data.errors) {
                say(form, "Not saved: " + showErrors(form, res.data.errors).join(" "), "error");
            } else {
                say(form, "Not saved" + (res.data.detail ? ": " + res.data.detail : " (error " + res.status + ")") + ". Your entries are still here; try again.", "error");
            }
        }).catch(function () {
            say(form, "Not saved: the connection failed. Your entries are still here; try again.", "error");
        }).finally(function () {
            s.saving = false;
            if (button) { button.disabled = false; }
            follower.check();
        });
    }

    // Someone typing in a form with unsaved entries is not interrupted: the refresh waits for the next tick.
    function typing() {
        var active = document.activeElement;
        if (!active || !root.contains(active) || !active.form) return false;
        return entry(active.form).dirty && (active.tagName === "TEXTAREA" || (active.tagName === "INPUT" && active.type !== "radio"));
    }

    function refresh() {
        if (anySaving() || typing()) return false;
        return fetch(root.dataset.sectionsUrl, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.text() : null; })
            .then(function (html) {
                if (html === null || anySaving() || typing()) return false;
                var kept = {};
                root.querySelectorAll("form.inline-record").forEach(function (form) {
                    var details = form.closest("details");
                    var entries = entry(form).dirty ? Array.prototype.filter.call(form.elements, function (el) { return el.id; })
                        .map(function (el) { return { id: el.id, value: el.value, checked: el.checked }; }) : null;
                    kept[form.getAttribute("action")] = { open: details ? details.open : false, entries: entries };
                });
                var focused = document.activeElement && root.contains(document.activeElement) ? document.activeElement.id : "";
                root.innerHTML = html;
                root.querySelectorAll("form.inline-record").forEach(function (form) {
                    var was = kept[form.getAttribute("action")];
                    var s = entry(form);
                    if (was) {
                        var details = form.closest("details");
                        if (details) { details.open = was.open; }
                        (was.entries || []).forEach(function (v) {
                            var el = document.getElementById(v.id);
                            if (!el || el.form !== form) return;
                            if (el.type === "radio" || el.type === "checkbox") { el.checked = v.checked; } else { el.value = v.value; }
                        });
                    }
                    if (s.status) { say(form, s.status, s.kind); }
                });
                if (focused && document.getElementById(focused)) { document.getElementById(focused).focus(); }
                return true;
            });
    }

    root.addEventListener("submit", function (e) {
        var form = e.target;
        if (!form.matches || !form.matches("form.inline-record")) return;
        e.preventDefault();
        save(form);
    });
    function changed(e) {
        var form = e.target.form;
        if (!form || !form.matches("form.inline-record")) return;
        entry(form).dirty = true;
        say(form, "Not saved yet", "dirty");
    }
    root.addEventListener("input", changed);
    root.addEventListener("change", changed);
    window.addEventListener("beforeunload", function (e) { if (anyDirty()) { e.preventDefault(); e.returnValue = ""; } });

    var follower = window.micipFollowDataVersion(root.dataset.stateUrl, root.dataset.version, POLL_INTERVAL, refresh);
})();
