/** A permission group's record filter as the API carries it (kept apart from api.ts so pure code can use it). */
export interface FilterRule {
  field: string;
  operator: string;
  value?: unknown;
}

export interface GroupFilter {
  join: 'and' | 'or';
  rules: FilterRule[];
}
