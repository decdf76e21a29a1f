// The invitation link carries its code after "#", which browsers never send to the server (so it stays out of logs).
// Move it into the form, forget it from the address bar, and open the invitation.
(function () {
    "use strict";
    var form = document.getElementById("invitation-open-form");
    var field = document.getElementById("invitation-token");
    var code = window.location.hash.replace(/^#/, "");
    if (!form || !field || !code) return;
    field.value = decodeURIComponent(code);
    history.replaceState(null, "", window.location.pathname);
    var opening = document.getElementById("invitation-opening");
    if (opening) opening.classList.remove("d-none");
    form.submit();
})();
