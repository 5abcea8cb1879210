import { navigate } from '../state/router.js';

/** A real link (keyboard, middle-click, copy address) that navigates without a reload. */
export function Link({ href, children, ...rest }) {
  const onClick = (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}

export function deviceHref(key) {
  return '/devices/' + encodeURIComponent(key);
}
