/**
 * A panel whose table is wider than the window scrolls sideways; keyboard users must be able to reach it (WCAG
 * 2.1.1, axe "scrollable-region-focusable"). Panels that actually overflow get tabindex=0 and a region label
 * taken from their heading; panels that fit stay out of the tab order.
 */
export function keepScrollablesFocusable(root = document.body) {
  let queued = false;
  const check = () => {
    queued = false;
    for (const el of root.querySelectorAll('.panel')) {
      const scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute('tabindex')) {
        el.setAttribute('tabindex', '0');
        const h = el.querySelector('h2');
        if (h && !el.hasAttribute('aria-label') && !el.hasAttribute('aria-labelledby')) el.setAttribute('aria-label', h.textContent);
      } else if (!scrolls && el.getAttribute('tabindex') === '0') {
        el.removeAttribute('tabindex');
      }
    }
  };
  const queue = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(check);
  };
  new MutationObserver(queue).observe(root, { childList: true, subtree: true });
  window.addEventListener('resize', queue);
  queue();
}
