/**
 * CP2K settings for labeling metal clusters, bulk and surfaces, after the paper (§3: PBE + D3,
 * GTH pseudopotentials, TZV2P-MOLOPT-SR-GTH, EPS_SCF 1e-6) and its metal settings
 * (CUTOFF 800 Ry, REL_CUTOFF 80, diagonalisation with Fermi–Dirac smearing at 300 K, Broyden
 * mixing, ADDED_MOS, UKS for odd electron counts, clusters in a box with 10 Å of vacuum).
 * Every field can be overridden (tests use a tiny basis and cutoff).
 */
import { z } from 'zod';

export const Cp2kSettingsSchema = z.object({
  /** Exchange–correlation functional (CP2K &XC_FUNCTIONAL name). */
  xc: z.string().default('PBE'),
  /** Grimme D3 dispersion (DFTD3 pair potential). */
  d3: z.boolean().default(true),
  /** Basis set name per element kind (looked up in the basis files). */
  basis: z.string().default('TZV2P-MOLOPT-SR-GTH'),
  /** Pseudopotential name (alias resolved per element in GTH_POTENTIALS, e.g. GTH-PBE → GTH-PBE-q11 for Cu). */
  potential: z.string().default('GTH-PBE'),
  /** Plane-wave cutoff, Ry. */
  cutoff: z.number().positive().default(800),
  /** Relative cutoff, Ry. */
  relCutoff: z.number().positive().default(80),
  /** SCF convergence threshold (CP2K EPS_SCF, Hartree-ish density residual). */
  epsScf: z.number().positive().default(1e-6),
  maxScf: z.number().int().positive().default(300),
  /** Fermi–Dirac electronic temperature, K (0 disables smearing). */
  smearingK: z.number().nonnegative().default(300),
  /** Extra (unoccupied) orbitals per spin; null → max(10, 30 % of the occupied ones). */
  addedMos: z.number().int().nonnegative().nullable().default(null),
  /** Broyden mixing parameter α and history length. */
  mixingAlpha: z.number().positive().max(1).default(0.2),
  nBroyden: z.number().int().positive().default(8),
  /** Vacuum around a cluster (open boundaries), Å: cubic box edge = largest extent + vacuum. */
  vacuum: z.number().positive().default(10),
  charge: z.number().int().default(0),
  /** Spin multiplicity; null → 1 for an even electron count, 2 (UKS) for an odd one. */
  multiplicity: z.number().int().positive().nullable().default(null),
  /** OpenMP threads of the cp2k process. */
  threads: z.number().int().positive().default(1),
  /** Wall-clock limit per frame, s. */
  timeoutSeconds: z.number().positive().default(3600),
  /** cp2k executable (default: first of cp2k, cp2k.psmp, cp2k.ssmp, cp2k.sopt, cp2k.popt on PATH). */
  executable: z.string().nullable().default(null),
  /** Folder with BASIS_MOLOPT, GTH_POTENTIALS, dftd3.dat (default: $CP2K_DATA_DIR or /usr/share/cp2k). */
  dataDir: z.string().nullable().default(null),
});

export type Cp2kSettings = z.infer<typeof Cp2kSettingsSchema>;
export type Cp2kSettingsInput = z.input<typeof Cp2kSettingsSchema>;

/** The paper's settings with the given overrides. */
export function cp2kSettings(overrides: Cp2kSettingsInput = {}): Cp2kSettings {
  return Cp2kSettingsSchema.parse(overrides);
}
