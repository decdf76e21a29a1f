// Building / district template: autosave a few seconds after a change, progress count, unsaved-changes warning.
(function () {
    "use strict";
    var form = document.getElementById("template-form");
    if (!form || form.dataset.editable !== "true") return;
    var status = document.getElementById("save-status");
    var versionField = document.getElementById("template-version");
    var tokenInput = form.querySelector("input[name='__RequestVerificationToken']");
    var dirty = false, timer = null, saving = false, again = false;

    function say(text) { if (status) { status.textContent = text; } }

    function save() {
        clearTimeout(timer);
        if (saving) { again = true; return; }
        saving = true;
        dirty = false;
        say("Saving…");
        fetch(form.action, {
            method: "POST", body: new FormData(form), credentials: "same-origin",
            headers: { "Accept": "application/json", "RequestVerificationToken": tokenInput ? tokenInput.value : "" }
        }).then(function (r) {
            // Saved: { saved, version, completed, savedAt }; refused: a problem (application/problem+json) whose detail says why.
            return r.json().catch(function () { return {}; }).then(function (d) { return { status: r.status, data: d }; });
        }).then(function (res) {
            if (res.status === 200 && res.data.saved) {
                versionField.value = res.data.version;
                document.querySelectorAll(".submit-version").forEach(function (f) { f.value = res.data.version; });
                // Looked up each time: the live page (live-page.js) may have replaced the header it sits in.
                var completed = document.getElementById("completed-count");
                if (completed) { completed.textContent = res.data.completed; }
                say("Saved at " + res.data.savedAt);
            } else if (res.status === 409) {
                dirty = true;
                say(res.data.detail || "Not saved: someone else changed the template. Reload to see their version.");
            } else if (res.status === 400 && res.data.errors) {
                dirty = true;
                var messages = [];
                Object.keys(res.data.errors).forEach(function (k) { messages = messages.concat(res.data.errors[k]); });
                say("Not saved: " + messages.join(" "));
            } else {
                dirty = true;
                say("Not saved (error " + res.status + "). Your entries are still here; use Save draft.");
            }
        }).catch(function () {
            dirty = true;
            say("Not saved: the connection failed. Your entries are still here; use Save draft.");
        }).finally(function () {
            saving = false;
            // The live page (live-page.js) leaves the fields alone while this says someone typed in them.
            form.dataset.dirty = dirty ? "true" : "false";
            if (again) { again = false; save(); }
        });
    }

    function changed() {
        dirty = true;
        say("Unsaved changes");
        clearTimeout(timer);
        timer = setTimeout(save, 3000);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () { dirty = false; clearTimeout(timer); });
    window.addEventListener("beforeunload", function (e) { if (dirty) { e.preventDefault(); e.returnValue = ""; } });
})();
