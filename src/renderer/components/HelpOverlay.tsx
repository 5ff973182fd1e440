/** Keyboard shortcuts, opened with `?`. */
import { useEffect, useRef } from 'react';
import { SHORTCUTS } from '../lib/keyboard';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), []);
  return (
    <div className="overlay" role="presentation" onClick={onClose}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        data-testid="help-overlay"
        onClick={(e) => e.stopPropagation()}
      >
        <header className="dialog-header">
          <h2 id="help-title">Keyboard shortcuts</h2>
          <button
            ref={closeButton}
            type="button"
            className="icon-button"
            aria-label="Close"
            onClick={onClose}
          >
            ×
          </button>
        </header>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td>
                  {s.keys.split('  or  ').map((k, i) => (
                    <span key={k}>
                      {i > 0 && <span className="muted"> or </span>}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{s.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">Shortcuts are ignored while typing in a field.</p>
      </div>
    </div>
  );
}
