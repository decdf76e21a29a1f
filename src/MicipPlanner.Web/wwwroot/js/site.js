// Site-wide behaviour. Feature scripts live beside it in wwwroot/js/.

// On a narrow screen the main menu folds behind its button. Bootstrap's collapse plugin used to open it; it was the only
// Bootstrap script any page used, so these lines replace the 80 KB bundle (ADR 18).
document.querySelectorAll('[data-menu-toggle]').forEach(button => {
    const menu = document.getElementById(button.getAttribute('aria-controls'));
    button.addEventListener('click', () => {
        const open = menu.classList.toggle('show');
        button.setAttribute('aria-expanded', String(open));
    });
});
