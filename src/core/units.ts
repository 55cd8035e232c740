/**
 * Physical constants and unit conversions — the one place they live.
 *
 * Internal units of nanostudio: length Å, energy eV, time fs, mass amu (g/mol),
 * temperature K, force eV/Å, virial eV, pressure eV/Å³ internally (bar/atm at the edges).
 * Values are CODATA 2018 (the SI-exact ones are exact).
 */

/** Boltzmann constant, eV/K. */
export const KB_EV_PER_K = 8.617333262e-5;
/** Elementary charge, C (exact). */
export const ELEMENTARY_CHARGE_C = 1.602176634e-19;
/** Atomic mass constant, kg. */
export const AMU_KG = 1.6605390666e-27;
/** Avogadro constant, 1/mol (exact). */
export const AVOGADRO = 6.02214076e23;
/** Hartree energy, eV. */
export const HARTREE_EV = 27.211386245988;
/** Bohr radius, Å. */
export const BOHR_ANGSTROM = 0.529177210903;

/**
 * Mass·velocity² conversion: 1 amu·Å²/fs² expressed in eV.
 * (1.66053906660e-27 kg · 1e-20 m² / 1e-30 s²) / 1.602176634e-19 J/eV ≈ 103.6427 eV.
 */
export const AMU_A2_PER_FS2_IN_EV = (AMU_KG * 1e-20) / 1e-30 / ELEMENTARY_CHARGE_C;

/** Acceleration (Å/fs²) of a mass m (amu) under a force F (eV/Å): a = F / m / AMU_A2_PER_FS2_IN_EV. */
export function accelerationAPerFs2(forceEvPerA: number, massAmu: number): number {
  return forceEvPerA / (massAmu * AMU_A2_PER_FS2_IN_EV);
}

/** 1 eV/Å³ in bar (1 eV/Å³ = 1.602176634e11 Pa = 1.602176634e6 bar). */
export const EV_PER_A3_IN_BAR = ELEMENTARY_CHARGE_C * 1e30 / 1e5;
/** 1 atm in bar (exact). */
export const ATM_IN_BAR = 1.01325;

/** Pressure conversion: bar → eV/Å³. */
export function barToEvPerA3(bar: number): number {
  return bar / EV_PER_A3_IN_BAR;
}
/** Pressure conversion: atm → eV/Å³. */
export function atmToEvPerA3(atm: number): number {
  return (atm * ATM_IN_BAR) / EV_PER_A3_IN_BAR;
}
/** Pressure conversion: eV/Å³ → bar. */
export function evPerA3ToBar(p: number): number {
  return p * EV_PER_A3_IN_BAR;
}
/** Thermal energy k_B·T in eV for T in K. */
export function kT(temperatureK: number): number {
  return KB_EV_PER_K * temperatureK;
}
