import type { RehearsalResult } from '../types';
export function renderHtml(r: RehearsalResult): string {
  return `<!doctype html><title>${r.scenario}</title>`;
}
