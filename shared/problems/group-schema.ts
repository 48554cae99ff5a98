import { z } from 'zod';
import type { GroupedProblems } from './group';
import { PROBLEM_CODES } from './codes';

const ExampleSchema = z.object({
  row: z.number().optional(),
  line: z.number(),
  value: z.string().optional(),
  message: z.string(),
});

/** The grouped problems of a plan's summary, as stored in the plan file. */
export const GroupedProblemsSchema = z.object({
  groups: z.array(
    z.object({
      key: z.string(),
      code: z.enum(PROBLEM_CODES),
      severity: z.enum(['error', 'warning']),
      column: z.string().optional(),
      value: z.string().optional(),
      count: z.number(),
      headline: z.string(),
      nextStep: z.string(),
      examples: z.array(ExampleSchema),
      fix: z.object({ kind: z.literal('status-word'), word: z.string() }).optional(),
    }),
  ),
  otherCount: z.number(),
}) satisfies z.ZodType<GroupedProblems>;
