/**
 * A refusal (ApiError: `fields` when the API names several problems, `field` when one) laid on a form:
 * {fields: {formField: message}, other: [message]}. `toFormField` maps the API's field ("criteria.relay",
 * "filter.mac") to the form's control, or null when the form has none: those problems are listed instead.
 */
export function problemsOnForm(e, toFormField) {
  const fields = {};
  const other = [];
  const add = (field, message) => {
    const f = toFormField(field);
    if (f) fields[f] = fields[f] ? fields[f] + '; ' + message : message;
    else other.push(field ? `${field}: ${message}` : message);
  };
  if (e && e.fields && Object.keys(e.fields).length) for (const [k, v] of Object.entries(e.fields)) add(k, String(v));
  else if (e && e.field) add(e.field, e.message);
  else if (e) other.push(e.message || String(e));
  return { fields, other };
}
