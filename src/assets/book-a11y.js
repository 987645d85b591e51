// Accessibility fixes to mdBook's page chrome, applied as each page loads.
(function () {
    'use strict';

    // The sidebar toggle is a <label> for a hidden checkbox, which carries aria-label,
    // aria-controls and aria-expanded that a label may not have: it acts as a button, so it is
    // one to assistive technology, and it takes keyboard focus and Enter or Space.
    const toggle = document.getElementById('mdbook-sidebar-toggle');
    if (toggle && toggle.tagName === 'LABEL') {
        toggle.setAttribute('role', 'button');
        toggle.setAttribute('tabindex', '0');
        toggle.addEventListener('keydown', function (e) {
            if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                toggle.click();
            }
        });
    }

    // The menu bar (title, theme, search and print buttons) is the page's banner, so that all
    // of the page is inside a landmark.
    const menuBar = document.getElementById('mdbook-menu-bar');
    if (menuBar && !menuBar.hasAttribute('role')) menuBar.setAttribute('role', 'banner');

    // Regions that scroll sideways (code blocks, wide tables) must be reachable from the
    // keyboard, so that their hidden part can be scrolled into view without a mouse.
    document.querySelectorAll('main pre > code, main .table-wrapper').forEach(function (el) {
        if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '0');
    });
})();
