import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installDebugHook } from './debug';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('PairDesk: #root element missing from index.html');

installDebugHook(window);

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
