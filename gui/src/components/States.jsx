/** The states every page shows the same way: loading, error (with the API's code and message), empty. */
export function Loading({ what = 'Loading' }) {
  return (
    <p class="state loading" role="status">
      {what}…
    </p>
  );
}

export function describeError(e) {
  if (!e) return '';
  if (e.status === 403) return 'No permission: your role may not see or do this. ' + (e.message || '');
  if (e.status === 503) return 'Not ready: ' + (e.message || 'a dependency of the appliance is down');
  if (e.status === 0) return 'The appliance did not answer. ' + (e.message || '');
  return e.message || String(e);
}

export function ErrorBox({ error, title }) {
  if (!error) return null;
  return (
    <div class="state error" role="alert">
      <strong>{title || (error.status ? `Error ${error.status}` : 'Error')}</strong>
      {error.code ? <code class="code">{error.code}</code> : null} {describeError(error)}
    </div>
  );
}

/** An error beside the control that caused it (a row's button, a toggle): its message only. */
export function InlineError({ error }) {
  if (!error) return null;
  return (
    <span class="inline-error" role="alert">
      {' '}
      {error.message}
    </span>
  );
}

export function Empty({ children }) {
  return <p class="state empty">{children}</p>;
}

/** Loading / error / empty / content for one resource. */
export function Resource({ r, empty, isEmpty, children, what }) {
  const data = r.data.value;
  const error = r.error.value;
  if (error) return <ErrorBox error={error} />;
  if (data == null) return r.loading.value ? <Loading what={what} /> : null;
  if (isEmpty && isEmpty(data)) return <Empty>{empty || 'Nothing yet.'}</Empty>;
  return children(data);
}
