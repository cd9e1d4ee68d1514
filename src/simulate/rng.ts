/**
 * The seeded xoshiro128** generator lives in the statistics core (src/stats/rng.ts), below every
 * layer that draws random numbers (simulate, and the bootstrap in stats); re-exported here so the
 * simulation code keeps importing it from its own layer.
 */
export { Rng } from '../stats/rng.js';
