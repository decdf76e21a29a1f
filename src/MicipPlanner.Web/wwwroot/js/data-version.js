// Follows the district's data version (ADR 7). A page polls its state URL with the version it shows; the server answers
// { unchanged: true } without loading anything while nothing in the district changed, else the page's news with its
// version v. apply may answer false (or a promise of false) to be asked again at the next tick, e.g. while a save of the
// page is under way. check() polls at once (after a save of one's own).
window.micipFollowDataVersion = function (url, version, interval, apply) {
    "use strict";
    var current = String(version);
    var timer = null, polling = false, again = false;
    function poll() {
        clearTimeout(timer);
        if (polling) { again = true; return; }
        polling = true;
        fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "v=" + encodeURIComponent(current), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (data) {
                if (!data || data.unchanged) return null;
                return Promise.resolve(apply(data)).then(function (done) { if (done !== false) { current = String(data.v); } });
            })
            .catch(function () { /* try again at the next tick */ })
            .finally(function () {
                polling = false;
                if (again) { again = false; poll(); return; }
                timer = setTimeout(poll, interval);
            });
    }
    timer = setTimeout(poll, interval);
    return { check: poll };
};
