/**
 * A numeric setting: validated as you type (error shown inline, never sent), committed on
 * Enter or blur when valid and changed.
 */
import { useEffect, useId, useState } from 'react';
import type { NumberRule } from '../lib/validation';
import { validateNumber } from '../lib/validation';

interface Props {
  label: string;
  value: number;
  rule: NumberRule;
  onCommit: (value: number) => void;
  suffix?: string;
  testId?: string;
  disabled?: boolean;
  /** A check against other settings (e.g. R < K < K_crit): an error message or null. */
  check?: (value: number) => string | null;
  title?: string;
}

export function NumberField({
  label,
  value,
  rule,
  onCommit,
  suffix,
  testId,
  disabled,
  check: crossCheck,
  title,
}: Props) {
  const id = useId();
  const [draft, setDraft] = useState(String(value));
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (!editing) setDraft(String(value));
  }, [value, editing]);
  const check = validateNumber(draft, rule);
  const error = check.ok ? (crossCheck?.(check.value) ?? null) : check.error;
  const commit = () => {
    setEditing(false);
    if (check.ok && error === null && check.value !== value) onCommit(check.value);
  };
  return (
    <div className="field">
      <label htmlFor={id} title={title}>
        {label}
      </label>
      <div className="field-input">
        <input
          id={id}
          type="text"
          inputMode="decimal"
          value={draft}
          disabled={disabled}
          aria-invalid={error !== null}
          aria-describedby={error ? `${id}-error` : undefined}
          data-testid={testId}
          onFocus={() => setEditing(true)}
          onChange={(e) => {
            setEditing(true);
            setDraft(e.target.value);
          }}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') {
              setDraft(String(value));
              setEditing(false);
            }
          }}
        />
        {suffix && <span className="field-suffix">{suffix}</span>}
      </div>
      {error && (
        <div id={`${id}-error`} className="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
