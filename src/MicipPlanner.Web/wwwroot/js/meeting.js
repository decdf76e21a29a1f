// Monitoring meeting: check-ins and values recorded without leaving the page (several people at once, each on their own
// device), and the page's sections swapped in again for everyone viewing it when the district's data version moves
// (data-version.js). The page has one check-in form and one value form; "Record check-in" under an activity (or "Record a
// value" under a measure) moves the form there. What someone typed is never lost: the form lives outside the swapped
// sections, a draft of each activity's and measure's entries stays in sessionStorage until it is recorded, and leaving the
// page with unsaved entries asks first.
(function () {
    "use strict";
    var root = document.getElementById("meeting-sections");
    if (!root || !window.micipFollowDataVersion) return;
    var POLL_INTERVAL = 4000;
    var live = document.getElementById("meeting-live");
    var DRAFT_PREFIX = "micip-meeting-draft:" + location.pathname + ":";

    // The two movable forms, by the kind of trigger that opens them (check-in: "a" + activity id, value: "m" + measure id).
    var panels = {};
    [["a", "meeting-check-in"], ["m", "meeting-value"]].forEach(function (p) {
        var panel = document.getElementById(p[1]);
        if (!panel) return;
        var form = panel.querySelector("form");
        panels[p[0]] = {
            panel: panel, form: form, home: panel.parentNode, homeNext: panel.nextSibling, key: "", dirty: false, saving: false,
            unit: panel.querySelector(".value-unit")
        };
    });
    function panelOf(key) { return panels[key.charAt(0)]; }
    function panelOfForm(form) {
        return Object.keys(panels).map(function (k) { return panels[k]; }).filter(function (p) { return p.form === form; })[0];
    }
    function all() { return Object.keys(panels).map(function (k) { return panels[k]; }); }

    // Drafts: the entries a person typed for one activity or measure, kept in this tab until recorded.
    function fields(form) {
        return Array.prototype.filter.call(form.elements, function (el) {
            return el.name && el.name !== "__RequestVerificationToken" && el.type !== "submit" && el.type !== "button";
        });
    }
    function saveDraft(p) {
        if (!p.key || !p.dirty) return;
        var entries = {};
        fields(p.form).forEach(function (el) {
            if (el.type === "radio" || el.type === "checkbox") { if (el.checked) { entries[el.name] = el.value; } } else { entries[el.name] = el.value; }
        });
        try { sessionStorage.setItem(DRAFT_PREFIX + p.key, JSON.stringify(entries)); } catch (e) { /* storage full or off: the form still holds them */ }
    }
    function readDraft(key) {
        try { return JSON.parse(sessionStorage.getItem(DRAFT_PREFIX + key) || "null"); } catch (e) { return null; }
    }
    function clearDraft(key) { try { sessionStorage.removeItem(DRAFT_PREFIX + key); } catch (e) { /* nothing kept */ } }
    function anyDraft() {
        try {
            for (var i = 0; i < sessionStorage.length; i++) { if (sessionStorage.key(i).indexOf(DRAFT_PREFIX) === 0) return true; }
        } catch (e) { /* no storage */ }
        return false;
    }
    function fill(form, entries) {
        fields(form).forEach(function (el) {
            if (!(el.name in entries)) return;
            if (el.type === "radio" || el.type === "checkbox") { el.checked = entries[el.name] === el.value; } else { el.value = entries[el.name]; }
        });
    }

    function say(p, text, kind) {
        var box = p.form.querySelector(".save-status");
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

    function triggerOf(key) { return root.querySelector(".meeting-open[data-key='" + key + "']"); }

    // The server renders links (a page of their own without this script); here they are disclosure buttons for the panel.
    function enhance() {
        root.querySelectorAll(".meeting-open").forEach(function (t) {
            var p = panelOf(t.dataset.key);
            if (!p) return;
            t.setAttribute("role", "button");
            t.setAttribute("aria-controls", p.panel.id);
            t.setAttribute("aria-expanded", p.key === t.dataset.key && !p.panel.hidden ? "true" : "false");
        });
    }

    function place(p, trigger) {
        var holder = trigger.closest(".meeting-activity, .meeting-measure") || trigger.parentNode;
        holder.appendChild(p.panel);
    }

    function open(trigger) {
        var key = trigger.dataset.key;
        var p = panelOf(key);
        if (!p || p.saving) return;
        if (p.key === key && !p.panel.hidden) { close(p, true); return; }
        saveDraft(p);
        p.form.reset();
        clearErrors(p.form);
        say(p, "", "");
        p.key = key;
        p.dirty = false;
        p.form.action = trigger.dataset.action;
        if (p.unit) { p.unit.textContent = trigger.dataset.unit || ""; }
        var draft = readDraft(key);
        if (draft) {
            fill(p.form, draft);
            p.dirty = true;
            say(p, "Not saved yet: your earlier entries are back.", "dirty");
        }
        place(p, trigger);
        p.panel.hidden = false;
        enhance();
        var first = p.form.querySelector("input:not([type='hidden']):checked, input:not([type='hidden']), textarea, select");
        if (first) { first.focus(); }
    }

    function close(p, focusTrigger) {
        saveDraft(p);
        var trigger = p.key ? triggerOf(p.key) : null;
        p.panel.hidden = true;
        p.home.insertBefore(p.panel, p.homeNext);
        p.key = "";
        p.dirty = false;
        enhance();
        if (focusTrigger && trigger) { trigger.focus(); }
    }

    function save(p) {
        if (p.saving || !p.key) return;
        var key = p.key;
        p.saving = true;
        var button = p.form.querySelector("button[type='submit']");
        if (button) { button.disabled = true; }
        say(p, "Saving…", "saving");
        var token = p.form.querySelector("input[name='__RequestVerificationToken']");
        fetch(p.form.action, {
            method: "POST", body: new FormData(p.form), credentials: "same-origin",
            headers: { "Accept": "application/json", "RequestVerificationToken": token ? token.value : "" }
        }).then(function (r) {
            // Saved: { saved, id, savedAt }; refused: a problem (application/problem+json) whose detail or errors say why.
            return r.json().catch(function () { return {}; }).then(function (d) { return { status: r.status, data: d }; });
        }).then(function (res) {
            clearErrors(p.form);
            if (res.status === 200 && res.data.saved) {
                clearDraft(key);
                if (p.key === key) {
                    p.form.reset();
                    p.dirty = false;
                }
                say(p, "Saved at " + res.data.savedAt, "saved");
                if (live) { live.textContent = "Saved at " + res.data.savedAt; }
            } else if (res.status === 409) {
                say(p, "Not saved: " + (res.data.detail || "someone else changed this meanwhile; the page shows their version."), "conflict");
            } else if (res.status === 400 && res.data.errors) {
                say(p, "Not saved: " + showErrors(p.form, res.data.errors).join(" "), "error");
            } else {
                say(p, "Not saved" + (res.data.detail ? ": " + res.data.detail : " (error " + res.status + ")") + ". Your entries are still here; try again.", "error");
            }
        }).catch(function () {
            say(p, "Not saved: the connection failed. Your entries are still here; try again.", "error");
        }).finally(function () {
            p.saving = false;
            if (button) { button.disabled = false; }
            follower.check();
        });
    }

    // Someone typing in a form with unsaved entries is not interrupted: the refresh waits for the next tick.
    function typing() {
        var active = document.activeElement;
        var p = active && active.form ? panelOfForm(active.form) : null;
        return !!p && p.dirty && (active.tagName === "TEXTAREA" || (active.tagName === "INPUT" && active.type !== "radio"));
    }
    function anySaving() { return all().some(function (p) { return p.saving; }); }

    function refresh() {
        if (anySaving() || typing()) return false;
        return fetch(root.dataset.sectionsUrl, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.text() : null; })
            .then(function (html) {
                if (html === null || anySaving() || typing()) return false;
                var focused = document.activeElement;
                var focusedId = focused && root.contains(focused) ? focused.id : "";
                // The open forms leave the sections before the swap, and go back under their activity or measure after it.
                var opened = all().filter(function (p) { return p.key && !p.panel.hidden; });
                opened.forEach(function (p) { p.home.insertBefore(p.panel, p.homeNext); });
                root.innerHTML = html;
                opened.forEach(function (p) {
                    var trigger = triggerOf(p.key);
                    if (trigger) {
                        place(p, trigger);
                    } else {
                        // Done or removed meanwhile: nothing to record it on here. The entries stay as a draft.
                        saveDraft(p);
                        p.panel.hidden = true;
                        p.key = "";
                        p.dirty = false;
                        if (live) { live.textContent = "The activity or measure you were recording on is no longer open here; your entries are kept."; }
                    }
                });
                enhance();
                if (focused && document.body.contains(focused)) { focused.focus(); }
                else if (focusedId && document.getElementById(focusedId)) { document.getElementById(focusedId).focus(); }
                return true;
            });
    }

    document.addEventListener("click", function (e) {
        var trigger = e.target.closest && e.target.closest(".meeting-open");
        if (trigger && root.contains(trigger)) { e.preventDefault(); open(trigger); return; }
        var cancel = e.target.closest && e.target.closest(".meeting-cancel");
        var p = cancel ? panelOfForm(cancel.form) : null;
        if (p) { close(p, true); }
    });
    // A link acting as a button also answers the space bar.
    root.addEventListener("keydown", function (e) {
        var trigger = e.target.closest && e.target.closest(".meeting-open");
        if (trigger && (e.key === " " || e.key === "Spacebar")) { e.preventDefault(); open(trigger); }
    });
    all().forEach(function (p) {
        p.form.addEventListener("submit", function (e) { e.preventDefault(); save(p); });
        function changed() {
            p.dirty = true;
            saveDraft(p);
            say(p, "Not saved yet", "dirty");
        }
        p.form.addEventListener("input", changed);
        p.form.addEventListener("change", changed);
        p.panel.addEventListener("keydown", function (e) {
            if (e.key === "Escape") { e.preventDefault(); close(p, true); }
        });
    });
    window.addEventListener("beforeunload", function (e) {
        if (all().some(function (p) { return p.dirty; }) || anyDraft()) { e.preventDefault(); e.returnValue = ""; }
    });

    enhance();
    var follower = window.micipFollowDataVersion(root.dataset.stateUrl, root.dataset.version, POLL_INTERVAL, refresh);
})();
