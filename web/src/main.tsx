import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadConfig } from './config';
import { App } from './App';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
loadConfig().then(
  (cfg) => root.render(<StrictMode><App cfg={cfg} /></StrictMode>),
  (e) => root.render(
    <main className="page"><h1>OpenLedger</h1><p className="error" role="alert">Cannot start: {(e as Error).message}</p></main>,
  ),
);
