import { render } from 'preact';
import { App } from './App.jsx';
import { keepScrollablesFocusable } from './lib/scrollables.js';
import './style.css';

render(<App />, document.getElementById('app'));
keepScrollablesFocusable();
