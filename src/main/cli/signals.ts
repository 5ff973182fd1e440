/**
 * Resolves when the process gets SIGINT/SIGTERM or after `timeoutMs`, whichever comes first, so
 * long-running commands can flush and exit cleanly either way.
 */
export function untilSignalOrTimeout(timeoutMs?: number): Promise<string> {
  return new Promise((resolve) => {
    const done = (reason: string): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      if (timer) clearTimeout(timer);
      resolve(reason);
    };
    const onInt = (): void => done('SIGINT');
    const onTerm = (): void => done('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    const timer =
      timeoutMs === undefined ? undefined : setTimeout(() => done('duration reached'), timeoutMs);
  });
}
