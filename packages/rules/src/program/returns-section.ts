/**
 * `returns`: the return window as policy. A return more than `windowDays` after `from` (`delivery`: the order's first
 * delivery, or its purchase while it has none; `purchase`) is refused with `return-window-ended`, unless an admin
 * overrides it with a reason (docs/program-reference.md "returns").
 */
import { Type, type Static } from '@sinclair/typebox';
import { DaysSchema } from './primitives.js';
import { StringEnum } from './string-enum.js';

/** Where a return window is counted from. */
export const RETURN_WINDOW_FROM = ['delivery', 'purchase'] as const;

/** Schema of the `returns` section. */
export const ReturnsSectionSchema = Type.Object(
  {
    windowDays: DaysSchema,
    from: Type.Optional(StringEnum(RETURN_WINDOW_FROM, `where the window is counted from: one of ${RETURN_WINDOW_FROM.join(', ')}`, { default: 'purchase' })),
  },
  { additionalProperties: false, description: 'a return window like {"windowDays": 30, "from": "delivery"}' },
);
/** The `returns` section (`from` defaults to `purchase`). */
export type ReturnsSection = Static<typeof ReturnsSectionSchema>;
