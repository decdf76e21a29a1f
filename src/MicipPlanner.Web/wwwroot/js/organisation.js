// Invitation link: copy to the clipboard with one click (the field stays selectable by keyboard).
document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-copy-target]');
    if (!button) return;
    var field = document.getElementById(button.getAttribute('data-copy-target'));
    var status = document.querySelector('[data-copy-status]');
    field.select();
    var done = function () { if (status) status.textContent = 'Link copied.'; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () { if (status) status.textContent = 'Press Ctrl+C to copy the selected link.'; });
    } else {
        document.execCommand('copy');
        done();
    }
});
