// The keyforge console: signs in with the admin token, then shows the live journal, the keys and
// tenants, and the emulator controls. Everything shown goes through Preact as text: nothing a
// client sent is ever parsed as HTML.
import { render } from 'preact';
import './console.css';
import { App } from './views/App.js';

render(<App />, document.getElementById('console')!);
