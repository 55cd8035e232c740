/**
 * DeePMD-kit v3 training input (input.json) with the same settings as the built-in trainer
 * (paper §3 defaults), so an exported data set can be trained with `dp train input.json` on a
 * cluster: se_e2_a descriptor, ener fitting, exponential learning rate, ener loss prefactors.
 * Lengths Å; one model per seed (run it once per seed for an ensemble).
 */
import type { TrainJobSettings } from '../schemas.ts';

export function deepmdInputJson(settings: TrainJobSettings, typeMap: string[], systems: string[], seed = settings.seed): Record<string, unknown> {
  return {
    model: {
      type_map: typeMap,
      descriptor: {
        type: 'se_e2_a', sel: settings.sel ?? 'auto', rcut_smth: settings.rcutSmth, rcut: settings.rcut, neuron: settings.embedding,
        resnet_dt: false, axis_neuron: settings.axisNeuron, activation_function: 'tanh', seed,
      },
      fitting_net: { neuron: settings.fitting, resnet_dt: true, activation_function: 'tanh', seed },
    },
    learning_rate: { type: 'exp', decay_steps: settings.decaySteps, start_lr: settings.startLr, stop_lr: settings.stopLr },
    loss: {
      type: 'ener', start_pref_e: settings.startPrefE, limit_pref_e: settings.limitPrefE,
      start_pref_f: settings.startPrefF, limit_pref_f: settings.limitPrefF, start_pref_v: 0, limit_pref_v: 0,
    },
    training: {
      training_data: { systems, batch_size: 'auto' },
      numb_steps: settings.steps, seed, disp_file: 'lcurve.out', disp_freq: 1000, save_freq: 10000,
    },
  };
}
