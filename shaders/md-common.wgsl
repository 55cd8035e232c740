// Shared declarations of the GPU MD kernels (md-integrate.wgsl, md-reduce.wgsl).
// State on the GPU: pos[i] = (x, y, z Å, mass amu), vel[i] = (vx, vy, vz Å/fs, 1/(m·c)) with
// c = 103.6427 eV/(amu·Å²/fs²), so acceleration = F·vel.w (Å/fs² for F in eV/Å) and the
// Maxwell–Boltzmann velocity variance is k_B T·vel.w.

struct MdParams {
  natoms: u32,
  step: u32,        // step counter (RNG counter)
  seed: u32,
  chainLen: u32,
  dt: f32,          // fs
  c1: f32,          // Langevin exp(−γ dt)
  kT: f32,          // eV
  dof: f32,         // degrees of freedom coupled to the thermostat
  q: vec4f,         // NHC masses Q_j, eV·fs²
  sy: vec4f,        // Suzuki–Yoshida weights (w0, w1, w2, count)
  conv: f32,        // amu·Å²/fs² in eV
  _p0: f32, _p1: f32, _p2: f32,
}

struct Thermo {
  p: vec4f,         // Σ m v (amu·Å/fs), w = Σ m (amu)
  twoK: f32,        // Σ m v² (eV)
  epot: f32,        // Σ atomic energies of model 0, net part (eV; host adds the bias total)
  scale: f32,       // NHC velocity scale of the last half step
  _t: f32,
  xi: vec4f,        // chain positions
  vxi: vec4f,       // chain velocities, 1/fs
}
