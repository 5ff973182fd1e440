/**
 * "Open file…": Electron opens main's native dialog (`files.open`); browser mode clicks a hidden
 * `<input type=file multiple>` and uploads what was chosen.
 */
import { useRef } from 'react';
import { addFiles, hasNativeFiles, openFilesDialog } from '../../fileActions';

export function OpenFileButton({ className }: { className?: string }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className={className}
        data-testid="open-file"
        title="Import or replay files (or drop them anywhere on the window)"
        onClick={() => {
          if (hasNativeFiles()) void openFilesDialog('import');
          else input.current?.click();
        }}
      >
        Open file…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="open-file-input"
        onChange={(event) => {
          const files = Array.from(event.currentTarget.files ?? []);
          event.currentTarget.value = ''; // the same file may be chosen again
          void addFiles(files);
        }}
      />
    </>
  );
}
