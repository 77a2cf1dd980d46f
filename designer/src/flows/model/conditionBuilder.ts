/** The condition builder's model moved to designer/src/conditions/ (flow branches and routing rules share it); kept for old imports. */
export * from '../../conditions/conditionBuilder.ts';
