/**
 * After-sales half of the rules: returns, redemption, referral, birthday and anniversary, extended warranty.
 * Re-exported by `index.ts`.
 */
export {};
