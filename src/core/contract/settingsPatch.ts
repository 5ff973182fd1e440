import type { Settings, SettingsPatch } from './contract';

/** `settings` with `patch` applied: top-level fields replaced, `layout` merged field by field. */
export function applySettingsPatch(settings: Settings, patch: SettingsPatch): Settings {
  return { ...settings, ...patch, layout: { ...settings.layout, ...patch.layout } };
}
