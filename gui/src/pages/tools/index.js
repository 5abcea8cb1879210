// The operator tools (issue 15): loaded when one of their pages is first opened, so the app shell stays small.
export { Firewall } from './Firewall.jsx';
export { FirewallRuleset } from './FirewallRuleset.jsx';
export { FlowVisualizer } from './FlowVisualizer.jsx';
export { BulkActions } from './BulkActions.jsx';
export { Captures } from './Captures.jsx';
