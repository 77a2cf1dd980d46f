/**
 * The heat map's arithmetic, pure and unit-tested: a node's heat level (0 none … 5 hottest)
 * against the busiest or slowest node of the definition, and durations in words
 * (45 分钟, 3.2 小时, 2.5 天).
 */
import type { HeatmapNode } from '../model.ts';

export type HeatMode = 'count' | 'time';
export const HEAT_LEVELS = 5;

export function heatValue(node: HeatmapNode, mode: HeatMode): number {
  return mode === 'count' ? node.entered : (node.avgMs ?? 0);
}

/** 0 for a node nothing passed (or no time was spent), else 1…5 by its share of the maximum. */
export function heatLevel(value: number, max: number): number {
  if (!(value > 0) || !(max > 0)) return 0;
  return Math.max(1, Math.min(HEAT_LEVELS, Math.ceil((value / max) * HEAT_LEVELS)));
}

export function heatLevels(nodes: HeatmapNode[], mode: HeatMode): Map<string, number> {
  const max = nodes.reduce((top, node) => Math.max(top, heatValue(node, mode)), 0);
  return new Map(nodes.map((node) => [node.elementId, heatLevel(heatValue(node, mode), max)]));
}

/** A duration for people: seconds under a minute, minutes under an hour, hours under two days, then days. */
export function formatDuration(ms: number | null | undefined, locale: 'zh-CN' | 'en'): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const en = locale === 'en';
  const round = (value: number) => (value >= 10 ? Math.round(value) : Math.round(value * 10) / 10);
  const seconds = ms / 1000;
  if (seconds < 60) return en ? `${round(seconds)} s` : `${round(seconds)} 秒`;
  if (seconds < 3600) return en ? `${round(seconds / 60)} min` : `${round(seconds / 60)} 分钟`;
  if (seconds < 48 * 3600) return en ? `${round(seconds / 3600)} h` : `${round(seconds / 3600)} 小时`;
  return en ? `${round(seconds / 86400)} d` : `${round(seconds / 86400)} 天`;
}
