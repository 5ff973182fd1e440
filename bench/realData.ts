/** The real Binance captures beside the repository (see tests/support/realData.ts). */
export { REAL_DATA_DIR, realCapture, UM_2024_07_18 } from '../tests/support/realData';
