import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { TeachMode } from './teach/TeachMode.tsx';
import './styles.css';

// `?mode=teach` opens the simplified teaching layout; everything else is the full studio.
const teach = new URLSearchParams(window.location.search).get('mode') === 'teach';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {teach ? <TeachMode /> : <App />}
  </StrictMode>,
);
