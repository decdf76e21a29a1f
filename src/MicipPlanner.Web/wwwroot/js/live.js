// Live updates by push (ADR 25): one SignalR connection per page, to /live when signed in or /join/live for a workshop
// seat. After a save commits in the district the server sends "changed"; the page then asks its own endpoint for what
// changed, as it did when it polled, so permissions and conflict handling stay where they were. The connection comes
// back by itself (WebSockets, else server-sent events or long polling, as the server and proxies allow); once back the
// page asks for what changed while it was away. While it is down, a polite status line says so without taking focus.
window.micipLive = (function () {
    "use strict";
    var RETRY_AFTER = 5000;
    var line = null;
    function statusLine() {
        if (line) { return line; }
        line = document.createElement("p");
        line.id = "live-connection";
        line.className = "live-connection";
        line.setAttribute("role", "status");
        var main = document.getElementById("main") || document.body;
        main.insertBefore(line, main.firstChild);
        return line;
    }
    function say(text) {
        var el = statusLine();
        if (el.textContent !== text) { el.textContent = text; }
        el.classList.toggle("is-down", text !== "");
    }

    // options: hub (address), watch ([districtId, cycleId] to ask for, or null for a seat, which hears its workshop
    // without asking), method (the hub method watch is passed to: "Watch" unless named, e.g. "Present"), changed
    // (called with the message, or null to catch up), closed (the seat was closed), and messages: other messages the
    // page shows as they come ({ name: handler }), such as a seat's group's ratings.
    return function (options) {
        statusLine();
        if (!window.signalR) { say("Live updates are off: reload the page to see changes by others."); return null; }
        var connection = new window.signalR.HubConnectionBuilder()
            .withUrl(options.hub)
            // Keep trying (1, 2, 4 … 30 s): a phone asleep or between networks comes back whenever it can.
            .withAutomaticReconnect({ nextRetryDelayInMilliseconds: function (context) { return Math.min(30000, 1000 * Math.pow(2, Math.min(context.previousRetryCount, 5))); } })
            .build();
        connection.on("changed", function (message) { options.changed(message || null); });
        if (options.closed) { connection.on("closed", options.closed); }
        Object.keys(options.messages || {}).forEach(function (name) { connection.on(name, options.messages[name]); });
        function watch() {
            var asked = options.watch ? connection.invoke.apply(connection, [options.method || "Watch"].concat(options.watch)) : Promise.resolve(true);
            return asked.then(function (allowed) {
                if (allowed === false) { say("Live updates are off for this page: reload it to see changes by others."); return; }
                say("");
                options.changed(null);
            });
        }
        function start() {
            connection.start().then(watch).catch(function () {
                say("Not connected: changes by others will show once the connection is back.");
                setTimeout(start, RETRY_AFTER);
            });
        }
        connection.onreconnecting(function () { say("Connection lost: reconnecting. Changes by others will show once it is back."); });
        connection.onreconnected(function () { watch().catch(function () { /* the next reconnect asks again */ }); });
        connection.onclose(function () {
            say("Connection lost: reconnecting. Changes by others will show once it is back.");
            options.changed(null);
            setTimeout(start, RETRY_AFTER);
        });
        start();
        return connection;
    };
})();
