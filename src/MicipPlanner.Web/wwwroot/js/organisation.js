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

// Invitation form: offer only the roles that fit the chosen team (the server checks this too).
(function () {
    var team = document.querySelector('[data-team-select]');
    var role = document.getElementById('Role');
    if (!team || !role) return;
    function update() {
        var kind = team.value === '' ? 'district' : 'building';
        role.querySelectorAll('optgroup[data-team]').forEach(function (group) {
            var fits = group.getAttribute('data-team') === kind;
            group.disabled = !fits;
            group.hidden = !fits;
        });
        var chosen = role.options[role.selectedIndex];
        if (chosen && chosen.parentElement.disabled) role.value = '';
    }
    team.addEventListener('change', update);
    update();
})();
