/**
 * The analysis worker: descriptor maps, P(CN), parity and melting ladders run here so the page
 * stays responsive (the simulation worker keeps the GPU and the live run). See analysis-service.ts.
 */
/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { AnalysisService } from './analysis-service.ts';

Comlink.expose(new AnalysisService());
