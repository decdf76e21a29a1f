// Follows the district's data version (ADR 7) by push (ADR 25). A page's state URL answers { unchanged: true } without
// loading anything while the version it is sent is current, else the page's news with its version v. The live
// connection (live.js) says when the district's version moved, and then the page asks its state URL. apply may answer
// false (or a promise of false) to be asked again after interval ms, e.g. while a save of the page is under way.
// check() asks at once (after a save of one's own); shown() is the version of the state shown. live (optional) changes
// how the page watches: method and watch (the hub method and its arguments, instead of Watch with the URL's district
// and cycle), messages (other messages the page takes as they come) and skips (a change the page need not ask about).
window.micipFollowDataVersion = function (url, version, interval, apply, live) {
    "use strict";
    var current = String(version);
    var asking = false, again = false, retry = null;
    function ask() {
        clearTimeout(retry);
        if (asking) { again = true; return; }
        asking = true;
        fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "v=" + encodeURIComponent(current), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (data) {
                if (!data || data.unchanged) return null;
                return Promise.resolve(apply(data)).then(function (done) {
                    if (done !== false) { current = String(data.v); } else { retry = setTimeout(ask, interval); }
                });
            })
            .catch(function () { /* asked again at the next change or reconnect */ })
            .finally(function () {
                asking = false;
                if (again) { again = false; ask(); }
            });
    }
    // The state URLs live under the district (and cycle) they follow: /districts/{d}/cycles/{c}/…
    var scope = /\/districts\/(\d+)(?:\/cycles\/(\d+))?/.exec(url);
    live = live || {};
    if (scope && window.micipLive) {
        window.micipLive({
            hub: "/live",
            method: live.method,
            watch: live.watch || [Number(scope[1]), scope[2] ? Number(scope[2]) : null],
            messages: live.messages,
            changed: function (message) {
                if (!message || (!(live.skips && live.skips(message)) && Number(message.version) > Number(current))) { ask(); }
            }
        });
    }
    return { check: ask, shown: function () { return Number(current); } };
};
