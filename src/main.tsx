// In dev, React Refresh's preamble normally arrives as an inline <script>, which the CSP in index.html
// (script-src 'self') blocks; importing it as a module first keeps Fast Refresh working. In a build it
// is an empty module.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@digdir/designsystemet-css';
import '@digdir/designsystemet-css/theme';
import './ui/app.css';
import { QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import { queryClient } from './platform/queryClient';

const root = document.getElementById('root');
if (!root) throw new Error('index.html mangler #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
