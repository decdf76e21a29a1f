// Pages without a state URL of their own (the comparison page, the template pages) follow the district by push (ADR 25):
// when the live connection (live.js) says the district's data version moved past the one the page shows, the page asks
// for itself again and takes over what changed, without a reload and without moving the focus:
// - each element marked data-live-part (with an id) is replaced by the new one unless the focus is inside it;
// - each form marked data-live-fields takes the new values of its fields unless someone typed in it (data-dirty), so an
//   edit in progress is kept and its save meets the version check as before; the field with the focus is left alone;
// - when the page's shape (data-shape: the state and what the person may do) changed, it reloads, or says so while
//   someone has unsaved entries.
(function () {
    "use strict";
    var root = document.getElementById("live-page");
    if (!root || !window.micipLive) return;
    var current = Number(root.dataset.version || "0");
    var notice = document.getElementById("live-page-notice");
    var asking = false, again = false, moved = 0;

    function say(text) { if (notice && notice.textContent !== text) { notice.textContent = text; } }
    function liveForms(doc) { return Array.prototype.slice.call(doc.querySelectorAll("form[data-live-fields]")); }
    function dirty() { return liveForms(document).some(function (f) { return f.dataset.dirty === "true"; }); }

    // Once a form is sent the page is on its way out: asking for it again now would read (and so use up) the one-time
    // message the next page shows, e.g. "Consensus recorded".
    var leaving = false;
    document.addEventListener("submit", function (e) { if (!e.defaultPrevented) { leaving = true; } });
    window.addEventListener("pagehide", function () { leaving = true; });

    liveForms(document).forEach(function (form) {
        function typed() { form.dataset.dirty = "true"; }
        form.addEventListener("input", typed);
        form.addEventListener("change", typed);
    });

    // Answers false when someone typed in the form and another person's save moved it on (a hidden version changed).
    function takeFields(form, fresh) {
        if (form.dataset.dirty === "true") {
            return !Array.prototype.some.call(fresh.querySelectorAll("input[type=hidden][name]"), function (el) {
                var mine = form.querySelector("input[type=hidden][name='" + el.name + "']");
                return el.name !== "__RequestVerificationToken" && mine && mine.value !== el.value;
            });
        }
        Array.prototype.forEach.call(fresh.elements, function (el) {
            if (!el.name || el.name === "__RequestVerificationToken") return;
            var mine = el.type === "radio" || el.type === "checkbox"
                ? form.querySelector("[name='" + el.name + "'][value='" + el.value + "']")
                : form.querySelector("[name='" + el.name + "']");
            if (!mine || mine === document.activeElement) return;
            if (el.type === "radio" || el.type === "checkbox") {
                if (mine.checked !== el.checked) { mine.checked = el.checked; moved += 1; }
            } else if (mine.value !== el.value) { mine.value = el.value; moved += 1; }
        });
        return true;
    }

    // A part's markup without its forms' anti-forgery tokens, which differ at every rendering.
    function comparable(el) { return el.innerHTML.replace(/<input[^>]*name="__RequestVerificationToken"[^>]*>/g, ""); }

    function apply(doc) {
        var fresh = doc.getElementById("live-page");
        if (!fresh) return;
        if (fresh.dataset.shape !== root.dataset.shape) {
            if (dirty()) { say("Someone else changed this page's state. Save your entries, then reload to see it."); return; }
            window.location.reload();
            return;
        }
        current = Number(fresh.dataset.version || current);
        root.dataset.version = String(current);
        var kept = false;
        moved = 0;
        Array.prototype.forEach.call(doc.querySelectorAll("[data-live-part][id]"), function (part) {
            var mine = document.getElementById(part.id);
            if (!mine || mine.contains(document.activeElement) || comparable(mine) === comparable(part)) return;
            mine.innerHTML = part.innerHTML;
            moved += 1;
        });
        liveForms(doc).forEach(function (form) {
            var mine = form.id ? document.getElementById(form.id) : null;
            if (mine && !takeFields(mine, form)) { kept = true; }
        });
        if (kept) { say("Someone else saved changes here; your unsaved entries are kept, and saving them will show both versions."); }
        else if (moved > 0) { say("Updated with changes by others."); }
    }

    function ask() {
        if (leaving) return;
        if (asking) { again = true; return; }
        asking = true;
        fetch(window.location.pathname + window.location.search, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.text() : null; })
            .then(function (html) { if (html && !leaving) { apply(new DOMParser().parseFromString(html, "text/html")); } })
            .catch(function () { /* asked again at the next change or reconnect */ })
            .finally(function () {
                asking = false;
                if (again) { again = false; ask(); }
            });
    }

    window.micipLive({
        hub: "/live",
        watch: [Number(root.dataset.district), root.dataset.cycle ? Number(root.dataset.cycle) : null],
        // Catching up (no message) asks too, the first time included: a save between the page's rendering and the
        // connection joining the district would otherwise be missed. These pages are few people's, not a workshop's.
        changed: function (message) { if (!message || Number(message.version) > current) { ask(); } }
    });
})();
