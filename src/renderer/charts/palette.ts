/** Chart colours per theme (the page's CSS variables in styles.css mirror these). */
import type { Theme } from '../../core/contract/contract';

export interface ChartPalette {
  text: string;
  muted: string;
  grid: string;
  axis: string;
  up: string;
  down: string;
  upVolume: string;
  downVolume: string;
  lineA: string;
  lineB: string;
  crosshair: string;
  tooltipBg: string;
  tooltipBorder: string;
  zoomFill: string;
  zoomHandle: string;
  simulated: string;
  simulatedText: string;
  /** Analytics: spread, its rolling mean and the ±threshold bands. */
  spread: string;
  mean: string;
  band: string;
  /** Z-score line inside the thresholds, beyond them, and the shading of the breach zones. */
  zscore: string;
  breach: string;
  breachFill: string;
  /** Hedge ratio: rolling OLS β, Kalman β and the β the selected method uses. */
  betaRolling: string;
  betaKalman: string;
  betaUsed: string;
  correlation: string;
  /** Reference lines (0, ±1). */
  reference: string;
  /** Alert markers by kind (styles.css --warn, --bad, --live). */
  alertBreach: string;
  alertEscalate: string;
  alertRevert: string;
}

export const PALETTES: Readonly<Record<Theme, ChartPalette>> = {
  dark: {
    text: '#d7dce5',
    muted: '#7d879a',
    grid: '#1f2430',
    axis: '#2c3240',
    up: '#26a69a',
    down: '#ef5350',
    upVolume: 'rgba(38, 166, 154, 0.45)',
    downVolume: 'rgba(239, 83, 80, 0.45)',
    lineA: '#f0b90b',
    lineB: '#4f8cff',
    crosshair: '#7d879a',
    tooltipBg: 'rgba(20, 23, 30, 0.96)',
    tooltipBorder: '#313848',
    zoomFill: 'rgba(79, 140, 255, 0.14)',
    zoomHandle: '#4f8cff',
    simulated: 'rgba(199, 125, 255, 0.9)',
    simulatedText: '#c77dff',
    spread: '#5b9dff',
    mean: '#e8b93c',
    band: 'rgba(239, 122, 80, 0.85)',
    zscore: '#7fb0ff',
    breach: '#ff5d5a',
    breachFill: 'rgba(255, 93, 90, 0.09)',
    betaRolling: '#2bb5a6',
    betaKalman: '#ff9f5a',
    betaUsed: 'rgba(226, 232, 240, 0.28)',
    correlation: '#38bdf8',
    reference: '#3a4252',
    alertBreach: '#f5a623',
    alertEscalate: '#ef5350',
    alertRevert: '#22c55e',
  },
  light: {
    text: '#1d2330',
    muted: '#5d6678',
    grid: '#eceef2',
    axis: '#d3d7df',
    up: '#0b8a6f',
    down: '#d32f2f',
    upVolume: 'rgba(11, 138, 111, 0.4)',
    downVolume: 'rgba(211, 47, 47, 0.4)',
    lineA: '#b7791f',
    lineB: '#2563eb',
    crosshair: '#5d6678',
    tooltipBg: 'rgba(255, 255, 255, 0.97)',
    tooltipBorder: '#c9ced8',
    zoomFill: 'rgba(37, 99, 235, 0.12)',
    zoomHandle: '#2563eb',
    simulated: 'rgba(126, 34, 206, 0.9)',
    simulatedText: '#7e22ce',
    spread: '#2563eb',
    mean: '#b7791f',
    band: 'rgba(220, 80, 40, 0.85)',
    zscore: '#1d4ed8',
    breach: '#d32f2f',
    breachFill: 'rgba(211, 47, 47, 0.07)',
    betaRolling: '#0b8a6f',
    betaKalman: '#d9651b',
    betaUsed: 'rgba(30, 41, 59, 0.18)',
    correlation: '#0284c7',
    reference: '#b9c0cc',
    alertBreach: '#b45309',
    alertEscalate: '#c62828',
    alertRevert: '#15803d',
  },
};
