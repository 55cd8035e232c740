/**
 * The MD ensembles the studio offers: the one list the worker validates against, the run form
 * shows and shared links accept. No imports, so the page can use it without pulling in the MD code.
 */
export const MD_ENSEMBLES = ['nve', 'langevin', 'nose-hoover', 'npt'] as const;
export type MdEnsemble = (typeof MD_ENSEMBLES)[number];
