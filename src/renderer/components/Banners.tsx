/** Messages above the content: live source down, transport lost, refused settings, notices. */
import { useEffect, useState } from 'react';
import { selectSource } from '../actions';
import { sessionStore, useSession } from '../state/sessionStore';
import { getAppApi } from '../transport';

export function liveFailure(
  source: { kind: string; state: string; error: string | null } | null,
  connection: { state: string; reason: string } | null,
): string | null {
  if (!source || source.kind !== 'live') return null;
  if (source.state === 'failed') return source.error ?? 'the live source failed';
  if (connection && (connection.state === 'backing_off' || connection.state === 'stale')) {
    return connection.reason || (connection.state === 'stale' ? 'no data' : 'reconnecting');
  }
  return null;
}

export function LiveErrorBanner() {
  const source = useSession((s) => s.source);
  const connection = useSession((s) => s.connection);
  const replaySpeed = useSession((s) => s.settings?.replaySpeed ?? 10);
  const reason = liveFailure(source, connection);
  const [busy, setBusy] = useState(false);
  if (!reason) return null;

  const replay = async () => {
    setBusy(true);
    try {
      const files = await getAppApi().invoke('replay.files', null);
      if (files.length === 0) {
        sessionStore.getState().setNotice('No capture files to replay.');
        return;
      }
      await selectSource('replay', files[0].id, replaySpeed);
    } catch (e) {
      sessionStore
        .getState()
        .setNotice(`Could not list replay files: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="banner banner-error" role="alert" data-testid="live-error-banner">
      <div className="banner-text">
        <strong>The live market cannot be reached.</strong> <span>{reason}</span>
      </div>
      <div className="banner-actions">
        <button type="button" disabled={busy} onClick={() => void selectSource('demo')}>
          Use simulated market
        </button>
        <button type="button" disabled={busy} onClick={() => void replay()}>
          Replay a file
        </button>
      </div>
    </div>
  );
}

export function TransportBanner() {
  const transport = useSession((s) => s.transport);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!transport || transport.state !== 'closed') return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [transport]);
  if (!transport || transport.state !== 'closed') return null;
  const seconds =
    transport.retryAtMs !== null
      ? Math.max(0, Math.ceil((transport.retryAtMs - now) / 1000))
      : null;
  return (
    <div className="banner banner-warn" role="alert" data-testid="transport-banner">
      <div className="banner-text">
        <strong>Lost the connection to PairDesk.</strong> <span>{transport.error}</span>{' '}
        {seconds !== null && <span className="muted">Retrying in {seconds} s…</span>}
      </div>
    </div>
  );
}

/**
 * Why the running source is not the one stored, from main (SourceInfo.notice): e.g. the stored
 * replay file could not be opened at start, so the simulated market runs. Dismissed per notice.
 */
export function SourceNoticeBanner() {
  const notice = useSession((s) => s.source?.notice ?? null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  if (!notice || notice === dismissed) return null;
  return (
    <DismissibleBanner
      tone="warn"
      text={notice}
      testId="source-notice"
      onDismiss={() => setDismissed(notice)}
    />
  );
}

/** A message with a × button: a warning is an alert, information a status. */
function DismissibleBanner(props: {
  tone: 'warn' | 'info';
  text: string;
  testId?: string;
  onDismiss: () => void;
}) {
  return (
    <div
      className={`banner banner-${props.tone}`}
      role={props.tone === 'warn' ? 'alert' : 'status'}
      data-testid={props.testId}
    >
      <div className="banner-text">{props.text}</div>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={props.onDismiss}>
        ×
      </button>
    </div>
  );
}

export function MessageBanners() {
  const settingsError = useSession((s) => s.settingsError);
  const notice = useSession((s) => s.notice);
  return (
    <>
      <SourceNoticeBanner />
      {settingsError && (
        <DismissibleBanner
          tone="warn"
          text={settingsError}
          testId="settings-error"
          onDismiss={() => sessionStore.getState().setSettingsError(null)}
        />
      )}
      {notice && (
        <DismissibleBanner
          tone="info"
          text={notice}
          onDismiss={() => sessionStore.getState().setNotice(null)}
        />
      )}
    </>
  );
}
