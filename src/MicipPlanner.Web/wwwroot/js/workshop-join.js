// Join page: a QR code opens /join#CODE; the code after # never reaches the server's logs. Fill it in, then drop it from the address.
(function () {
    "use strict";
    var field = document.getElementById("join-code");
    if (!field || !window.location.hash) return;
    var code = decodeURIComponent(window.location.hash.substring(1)).replace(/[^A-Za-z0-9-]/g, "").substring(0, 12);
    if (code && !field.value) { field.value = code; }
    history.replaceState(null, "", window.location.pathname);
    var name = document.getElementById("join-name");
    if (name && !name.value) { name.focus(); }
})();
