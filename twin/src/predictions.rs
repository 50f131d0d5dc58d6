//! Three models trained on a run's history and evaluated on its held-out end.
//!
//! The data are the per-minute buckets of the history (one sample per tick, the last 7 plant
//! days at most), in time order. Each model trains on the first [`TRAIN_SHARE`] of its rows
//! and is measured on the rest, never the other way round:
//!
//! 1. **OEE from the bottling line**: a least-squares linear regression (smartcore) of OEE on
//!    the line's numeric state: bottle detected, conveyor speed, capper jam, stop sensor. Mean
//!    absolute error and R² on the held-out ticks.
//! 2. **Fermenter A forecast**: ridge regressions (smartcore), one per variable, of the change
//!    to the next temperature, Brix, pH, CO₂ flow and pressure from the last [`LAGS`]
//!    observations of all five, against the naive forecast "the next value is the last one"
//!    (a change of zero); both mean absolute
//!    errors per variable, and the time left to final gravity found by running the model
//!    forward from the last observations.
//! 3. **Mill anomaly score**: a principal component analysis (smartcore) of the standardised
//!    rpm, vibration, hopper level and motor temperature; the score of a tick is its squared
//!    reconstruction error from [`MILL_COMPONENTS`] components, ticks above the training
//!    scores' mean + 3 σ are flagged, and the flags are compared with the twin's EMA ± 3σ
//!    anomalies of the same facts.
//!
//! Training is split into [`Step`]s so that a page can run one per frame.

use pon_core::FactId;
use serde::{Deserialize, Serialize};
use smartcore::decomposition::pca::{PCAParameters, PCA};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::linear::linear_regression::{
    LinearRegression, LinearRegressionParameters, LinearRegressionSolverName,
};
use smartcore::linear::ridge_regression::{RidgeRegression, RidgeRegressionParameters};

use crate::catalog::{self, FACTS};
use crate::history::{History, OEE};
use crate::models::fermentation::FERMENTER_A;

/// Share of the rows, counted from the oldest, that a model trains on.
pub const TRAIN_SHARE: f64 = 0.7;
/// Fewest ticks the models need: enough for lagged rows and a held-out part of some size.
pub const MIN_TICKS: usize = 120;
/// Observations of fermenter A a forecast reads.
pub const LAGS: usize = 8;
/// Principal components the mill's readings are reconstructed from.
pub const MILL_COMPONENTS: usize = 2;
/// Penalty of the ridge regressions, on standardised features.
pub const RIDGE_ALPHA: f64 = 1.0;
/// Ticks the fermentation forecast may run forward looking for final gravity.
pub const FORECAST_HORIZON: usize = 5_000;

/// Bottling-line facts the OEE model reads.
pub const LINE_FACTS: [FactId; 4] = [
    catalog::BOTTLE_DETECT,
    catalog::CONVEYOR_SPEED,
    catalog::CAPPER_JAM,
    catalog::STOP_SENSOR,
];
/// Fermenter A's variables, forecast together.
pub const FERMENTER_FACTS: [FactId; 5] = [
    catalog::FERM_A_TEMP,
    catalog::FERM_A_BRIX,
    catalog::FERM_A_PH,
    catalog::FERM_A_CO2,
    catalog::FERM_A_PRESSURE,
];
/// Mill facts the anomaly score reads.
pub const MILL_FACTS: [FactId; 4] = [
    catalog::MOTOR_RPM,
    catalog::VIBRATION,
    catalog::HOPPER_LEVEL,
    catalog::MOTOR_TEMP,
];

/// Why the models cannot be trained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PredictionError {
    /// The history holds too few ticks.
    TooFewTicks {
        /// Ticks available.
        have: usize,
    },
    /// A model could not be fitted.
    Fit(String),
}

impl std::fmt::Display for PredictionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PredictionError::TooFewTicks { have } => write!(
                f,
                "the models need at least {MIN_TICKS} ticks of history and the run has {have}: \
                 run {} more ticks",
                MIN_TICKS - have
            ),
            PredictionError::Fit(why) => write!(f, "a model could not be fitted: {why}"),
        }
    }
}

impl std::error::Error for PredictionError {}

/// The per-tick rows the models read: plant minute and every series' sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// Plant minute of each row.
    pub minutes: Vec<u64>,
    /// One row per tick: the sample of each fact (`NaN` for non-numeric facts), then OEE.
    pub rows: Vec<Vec<f64>>,
    /// Plant minutes at which the twin flagged an anomaly of a mill fact.
    pub mill_anomaly_minutes: Vec<u64>,
}

impl Dataset {
    /// The rows of the history's per-minute buckets, oldest first.
    pub fn from_history(history: &History) -> Dataset {
        let buckets = &history.tiers()[0].buckets;
        let minutes = buckets.iter().map(|b| b.start).collect();
        let rows = buckets
            .iter()
            .map(|b| {
                b.series
                    .iter()
                    .map(|a| a.mean().unwrap_or(f64::NAN))
                    .collect()
            })
            .collect();
        let first = buckets.front().map_or(0, |b| b.start);
        let mill: Vec<usize> = MILL_FACTS.iter().map(|f| f.index()).collect();
        let mill_anomaly_minutes = history
            .anomalies()
            .recent
            .iter()
            .filter(|e| e.minute >= first && mill.contains(&usize::from(e.id)))
            .map(|e| e.minute)
            .collect();
        Dataset {
            minutes,
            rows,
            mill_anomaly_minutes,
        }
    }

    fn column(&self, series: usize) -> Vec<f64> {
        self.rows.iter().map(|r| r[series]).collect()
    }

    /// Rows in the data.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether it holds no row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// A predicted and an actual value at a plant minute.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Pair {
    /// Plant minute.
    pub minute: u64,
    /// Prediction.
    pub predicted: f64,
    /// What the run did.
    pub actual: f64,
}

/// The predicted and actual values of consecutive rows starting at `minutes[0]`.
fn pairs(minutes: &[u64], predicted: &[f64], actual: &[f64]) -> Vec<Pair> {
    minutes
        .iter()
        .zip(predicted.iter().zip(actual))
        .map(|(&minute, (&predicted, &actual))| Pair {
            minute,
            predicted,
            actual,
        })
        .collect()
}

/// The OEE model's results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OeeModel {
    /// Rows trained on and held out.
    pub train_rows: usize,
    /// Rows held out.
    pub test_rows: usize,
    /// Intercept and one coefficient per feature, in [`LINE_FACTS`] order.
    pub intercept: f64,
    /// Coefficients.
    pub coefficients: Vec<f64>,
    /// Mean absolute error on the held-out rows, in OEE points (percent).
    pub mae: f64,
    /// Coefficient of determination on the held-out rows.
    pub r2: f64,
    /// Predicted and actual OEE of each held-out row.
    pub test: Vec<Pair>,
}

/// One fermenter variable's forecast errors.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ForecastError {
    /// The fact.
    pub fact: &'static str,
    /// Mean absolute error of the model's next-tick forecast on the held-out rows.
    pub model_mae: f64,
    /// Mean absolute error of "the next value is the last one".
    pub naive_mae: f64,
}

/// The fermentation model's results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FermentationModel {
    /// Lagged rows trained on.
    pub train_rows: usize,
    /// Lagged rows held out.
    pub test_rows: usize,
    /// Errors per variable, in [`FERMENTER_FACTS`] order.
    pub errors: Vec<ForecastError>,
    /// Predicted and actual Brix of each held-out row.
    pub brix_test: Vec<Pair>,
    /// Last observed Brix.
    pub brix_now: f64,
    /// Final gravity of fermenter A, in °Bx.
    pub final_brix: f64,
    /// Plant hours to final gravity found by running the model forward from the last
    /// observations: 0 when already there, `None` when it is not reached within
    /// [`FORECAST_HORIZON`] ticks.
    pub hours_to_final_gravity: Option<f64>,
}

/// The mill anomaly model's results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MillModel {
    /// Rows trained on.
    pub train_rows: usize,
    /// Rows scored after training.
    pub test_rows: usize,
    /// Share of the standardised variance the kept components explain, on the training rows.
    pub explained: f64,
    /// Score above which a tick is flagged: training mean + 3 σ.
    pub threshold: f64,
    /// Plant minute and score of every row.
    pub scores: Vec<(u64, f64)>,
    /// Held-out minutes flagged by the score.
    pub flagged: Vec<u64>,
    /// Held-out minutes at which the twin's EMA ± 3σ flagged a mill fact.
    pub ema_flagged: Vec<u64>,
    /// Minutes flagged by both.
    pub both: Vec<u64>,
}

/// The three models' results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Predictions {
    /// Ticks of history the models saw.
    pub ticks: usize,
    /// OEE from the bottling line.
    pub oee: OeeModel,
    /// Fermenter A forecast.
    pub fermentation: FermentationModel,
    /// Mill anomaly score.
    pub mill: MillModel,
}

fn fit_error(e: impl std::fmt::Display) -> PredictionError {
    PredictionError::Fit(e.to_string())
}

fn matrix(rows: &[Vec<f64>]) -> Result<DenseMatrix<f64>, PredictionError> {
    DenseMatrix::from_2d_vec(&rows.to_vec()).map_err(fit_error)
}

fn split(rows: usize) -> usize {
    ((rows as f64 * TRAIN_SHARE).round() as usize).clamp(1, rows.saturating_sub(1))
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

/// Mean and standard deviation of each column; a constant column gets 1 so that it
/// standardises to 0 instead of dividing by 0.
fn scales(rows: &[Vec<f64>]) -> Vec<(f64, f64)> {
    let columns = rows.first().map_or(0, Vec::len);
    (0..columns)
        .map(|c| {
            let m = mean(rows.iter().map(|r| r[c]));
            let var = mean(rows.iter().map(|r| (r[c] - m).powi(2)));
            let sd = var.sqrt();
            (m, if sd > 1e-12 { sd } else { 1.0 })
        })
        .collect()
}

fn standardise(rows: &[Vec<f64>], scales: &[(f64, f64)]) -> Vec<Vec<f64>> {
    rows.iter()
        .map(|r| {
            r.iter()
                .zip(scales)
                .map(|(x, (m, s))| (x - m) / s)
                .collect()
        })
        .collect()
}

/// Trains the OEE model.
pub fn oee_model(data: &Dataset) -> Result<OeeModel, PredictionError> {
    let x: Vec<Vec<f64>> = data
        .rows
        .iter()
        .map(|r| LINE_FACTS.iter().map(|f| r[f.index()]).collect())
        .collect();
    let y = data.column(OEE);
    let cut = split(x.len());
    // Standardised features keep the least-squares problem well conditioned; a feature that
    // never moves in training becomes a column of zeros and gets no weight.
    let scale = scales(&x[..cut]);
    let xs = standardise(&x, &scale);
    let params = LinearRegressionParameters::default().with_solver(LinearRegressionSolverName::SVD);
    let model = LinearRegression::fit(&matrix(&xs[..cut])?, &y[..cut].to_vec(), params)
        .map_err(fit_error)?;
    let predicted = model.predict(&matrix(&xs[cut..])?).map_err(fit_error)?;
    let actual = &y[cut..];
    let mae = mean(predicted.iter().zip(actual).map(|(p, a)| (p - a).abs()));
    let mean_actual = mean(actual.iter().copied());
    let ss_res: f64 = predicted
        .iter()
        .zip(actual)
        .map(|(p, a)| (a - p).powi(2))
        .sum();
    let ss_tot: f64 = actual.iter().map(|a| (a - mean_actual).powi(2)).sum();
    let r2 = if ss_tot > 0.0 {
        1.0 - ss_res / ss_tot
    } else {
        0.0
    };

    // The coefficients in the facts' own units.
    let standardised: Vec<f64> = model.coefficients().iterator(0).copied().collect();
    let coefficients: Vec<f64> = standardised
        .iter()
        .zip(&scale)
        .map(|(w, (_, s))| w / s)
        .collect();
    let intercept = *model.intercept()
        - standardised
            .iter()
            .zip(&scale)
            .map(|(w, (m, s))| w * m / s)
            .sum::<f64>();
    Ok(OeeModel {
        train_rows: cut,
        test_rows: actual.len(),
        intercept,
        coefficients,
        mae,
        r2,
        test: pairs(&data.minutes[cut..], &predicted, actual),
    })
}

/// The last [`LAGS`] observations of the fermenter ending at row `end` (exclusive), oldest
/// first, flattened.
fn lagged(series: &[Vec<f64>], end: usize) -> Vec<f64> {
    series[end - LAGS..end].iter().flatten().copied().collect()
}

/// The fermentation forecast while it is trained, one variable at a time.
#[derive(Clone, Debug)]
pub struct FermentationTraining {
    /// Each variable's observations, one row per tick.
    series: Vec<Vec<f64>>,
    /// Lagged rows: the 8 observations before each forecast tick, flattened.
    x: Vec<Vec<f64>>,
    /// Rows trained on.
    cut: usize,
    /// Standardisation of the lagged rows, from the training rows.
    scale: Vec<(f64, f64)>,
    train: DenseMatrix<f64>,
    test: DenseMatrix<f64>,
    /// Per variable fitted so far: the weights on the standardised lagged row, and the mean
    /// change added back.
    fitted: Vec<(Vec<f64>, f64)>,
    errors: Vec<ForecastError>,
    brix_test: Vec<Pair>,
    minutes: Vec<u64>,
}

impl FermentationTraining {
    /// The lagged rows of `data`, ready to fit.
    pub fn new(data: &Dataset) -> Result<FermentationTraining, PredictionError> {
        let series: Vec<Vec<f64>> = data
            .rows
            .iter()
            .map(|r| FERMENTER_FACTS.iter().map(|f| r[f.index()]).collect())
            .collect();
        // Row t: the observations t − 8 … t − 1, to forecast the values at t.
        let x: Vec<Vec<f64>> = (LAGS..series.len()).map(|t| lagged(&series, t)).collect();
        let cut = split(x.len());
        let scale = scales(&x[..cut]);
        let xs = standardise(&x, &scale);
        Ok(FermentationTraining {
            train: matrix(&xs[..cut])?,
            test: matrix(&xs[cut..])?,
            series,
            x,
            cut,
            scale,
            fitted: Vec::new(),
            errors: Vec::new(),
            brix_test: Vec::new(),
            minutes: data.minutes.clone(),
        })
    }

    /// Whether every variable is fitted.
    pub fn fitted_all(&self) -> bool {
        self.fitted.len() == FERMENTER_FACTS.len()
    }

    /// Fits the next variable's ridge regression and measures it on the held-out rows.
    ///
    /// Each variable's change from its last observation is forecast. The features are
    /// centred on the training rows, so the ridge (fitted without intercept when it does not
    /// normalise) is given centred targets and their mean is added back.
    pub fn fit_next(&mut self) -> Result<(), PredictionError> {
        let v = self.fitted.len();
        let fact = FERMENTER_FACTS[v];
        let cut = self.cut;
        let last_of = |row: &Vec<f64>| row[(LAGS - 1) * FERMENTER_FACTS.len() + v];
        let y: Vec<f64> = self.series[LAGS..].iter().map(|t| t[v]).collect();
        let change: Vec<f64> = y[..cut]
            .iter()
            .zip(&self.x[..cut])
            .map(|(t, row)| t - last_of(row))
            .collect();
        let offset = mean(change.iter().copied());
        let centred: Vec<f64> = change.iter().map(|c| c - offset).collect();
        let params = RidgeRegressionParameters::default()
            .with_alpha(RIDGE_ALPHA)
            .with_normalize(false);
        let model = RidgeRegression::fit(&self.train, &centred, params).map_err(fit_error)?;
        let predicted: Vec<f64> = model
            .predict(&self.test)
            .map_err(fit_error)?
            .into_iter()
            .zip(&self.x[cut..])
            .map(|(p, row)| last_of(row) + p + offset)
            .collect();
        let actual = &y[cut..];
        let last = self.x[cut..].iter().map(last_of);
        self.errors.push(ForecastError {
            fact: FACTS[fact.index()].name,
            model_mae: mean(predicted.iter().zip(actual).map(|(p, a)| (p - a).abs())),
            naive_mae: mean(last.zip(actual).map(|(l, a)| (l - a).abs())),
        });
        if fact == catalog::FERM_A_BRIX {
            self.brix_test = pairs(&self.minutes[LAGS + cut..], &predicted, actual);
        }
        let weights = model.coefficients().iterator(0).copied().collect();
        self.fitted.push((weights, offset + *model.intercept()));
        Ok(())
    }

    /// Runs the fitted forecast forward from the last observations until Brix reaches final
    /// gravity, and gives the model's results.
    pub fn finish(self) -> FermentationModel {
        let brix = FERMENTER_FACTS
            .iter()
            .position(|f| *f == catalog::FERM_A_BRIX)
            .expect("Brix is forecast");
        let brix_now = self.series.last().map_or(f64::NAN, |r| r[brix]);
        let final_brix = FERMENTER_A.final_brix;
        let minutes_per_tick = match self.minutes.as_slice() {
            [.., a, b] => (b - a) as f64,
            _ => 6.0,
        };
        let mut window: Vec<Vec<f64>> = self.series[self.series.len() - LAGS..].to_vec();
        let mut hours_to_final_gravity = None;
        if brix_now <= final_brix + 1e-9 {
            hours_to_final_gravity = Some(0.0);
        } else {
            for step in 1..=FORECAST_HORIZON {
                let row: Vec<f64> = window
                    .iter()
                    .flatten()
                    .zip(&self.scale)
                    .map(|(x, (m, s))| (x - m) / s)
                    .collect();
                let last = window.last().expect("the window holds LAGS rows").clone();
                let next: Vec<f64> = self
                    .fitted
                    .iter()
                    .enumerate()
                    .map(|(v, (w, offset))| {
                        last[v] + w.iter().zip(&row).map(|(w, x)| w * x).sum::<f64>() + offset
                    })
                    .collect();
                if next[brix] <= final_brix {
                    hours_to_final_gravity = Some(step as f64 * minutes_per_tick / 60.0);
                    break;
                }
                window.remove(0);
                window.push(next);
            }
        }
        FermentationModel {
            train_rows: self.cut,
            test_rows: self.x.len() - self.cut,
            errors: self.errors,
            brix_test: self.brix_test,
            brix_now,
            final_brix,
            hours_to_final_gravity,
        }
    }
}

/// Trains the fermentation forecast.
pub fn fermentation_model(data: &Dataset) -> Result<FermentationModel, PredictionError> {
    let mut training = FermentationTraining::new(data)?;
    while !training.fitted_all() {
        training.fit_next()?;
    }
    Ok(training.finish())
}

/// Trains the mill anomaly score.
pub fn mill_model(data: &Dataset) -> Result<MillModel, PredictionError> {
    let x: Vec<Vec<f64>> = data
        .rows
        .iter()
        .map(|r| MILL_FACTS.iter().map(|f| r[f.index()]).collect())
        .collect();
    let cut = split(x.len());
    let scale = scales(&x[..cut]);
    let xs = standardise(&x, &scale);
    let train = matrix(&xs[..cut])?;
    let pca = PCA::fit(
        &train,
        PCAParameters::default().with_n_components(MILL_COMPONENTS),
    )
    .map_err(fit_error)?;
    let projected = pca.transform(&matrix(&xs)?).map_err(fit_error)?;
    let components = pca.components();
    let (features, kept) = components.shape();
    // The training rows have mean 0 after standardising, so a row's reconstruction is its
    // projection mapped back: x̂ = t · Pᵀ (with t = x · P).
    let centre: Vec<f64> = (0..features)
        .map(|j| mean(xs[..cut].iter().map(|r| r[j])))
        .collect();
    let scores: Vec<(u64, f64)> = xs
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let error: f64 = (0..features)
                .map(|j| {
                    let rebuilt: f64 = centre[j]
                        + (0..kept)
                            .map(|k| *projected.get((i, k)) * *components.get((j, k)))
                            .sum::<f64>();
                    (row[j] - rebuilt).powi(2)
                })
                .sum();
            (data.minutes[i], error)
        })
        .collect();
    let train_scores: Vec<f64> = scores[..cut].iter().map(|s| s.1).collect();
    let m = mean(train_scores.iter().copied());
    let sd = mean(train_scores.iter().map(|s| (s - m).powi(2))).sqrt();
    let threshold = m + 3.0 * sd;

    let total: f64 = (0..features)
        .map(|j| mean(xs[..cut].iter().map(|r| (r[j] - centre[j]).powi(2))))
        .sum();
    let residual = mean(train_scores.iter().copied());
    let explained = if total > 0.0 {
        (1.0 - residual / total).clamp(0.0, 1.0)
    } else {
        0.0
    };

    let held_out = &scores[cut..];
    let first_test = held_out.first().map_or(u64::MAX, |s| s.0);
    let flagged: Vec<u64> = held_out
        .iter()
        .filter(|s| s.1 > threshold)
        .map(|s| s.0)
        .collect();
    let mut ema_flagged: Vec<u64> = data
        .mill_anomaly_minutes
        .iter()
        .copied()
        .filter(|&m| m >= first_test)
        .collect();
    ema_flagged.dedup();
    let both = flagged
        .iter()
        .copied()
        .filter(|m| ema_flagged.binary_search(m).is_ok())
        .collect();
    Ok(MillModel {
        train_rows: cut,
        test_rows: held_out.len(),
        explained,
        threshold,
        scores,
        flagged,
        ema_flagged,
        both,
    })
}

/// One piece of the training, small enough for a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The OEE regression.
    Oee,
    /// The fermenter's lagged rows, standardised.
    FermentationRows,
    /// The ridge regression of one fermenter variable (an index into [`FERMENTER_FACTS`]).
    FermentationFit(usize),
    /// The fermenter forecast run forward to final gravity.
    FermentationForward,
    /// The mill's anomaly score.
    Mill,
}

/// The steps in order.
pub const STEPS: [Step; 9] = [
    Step::Oee,
    Step::FermentationRows,
    Step::FermentationFit(0),
    Step::FermentationFit(1),
    Step::FermentationFit(2),
    Step::FermentationFit(3),
    Step::FermentationFit(4),
    Step::FermentationForward,
    Step::Mill,
];

impl Step {
    /// What it does, in words.
    pub fn describe(self) -> String {
        match self {
            Step::Oee => "Fitting the OEE regression".to_owned(),
            Step::FermentationRows => "Lagging the fermenter's observations".to_owned(),
            Step::FermentationFit(v) => format!(
                "Fitting the forecast of {}",
                FACTS[FERMENTER_FACTS[v].index()].name
            ),
            Step::FermentationForward => "Running the fermenter forecast forward".to_owned(),
            Step::Mill => "Fitting the mill's principal components".to_owned(),
        }
    }
}

/// The results of the steps run so far.
#[derive(Clone, Debug, Default)]
pub struct Training {
    oee: Option<OeeModel>,
    fermenting: Option<FermentationTraining>,
    fermentation: Option<FermentationModel>,
    mill: Option<MillModel>,
}

impl Training {
    /// Runs `step` on `data`; the steps must run in the order of [`STEPS`].
    pub fn run(&mut self, step: Step, data: &Dataset) -> Result<(), PredictionError> {
        match step {
            Step::Oee => self.oee = Some(oee_model(data)?),
            Step::FermentationRows => self.fermenting = Some(FermentationTraining::new(data)?),
            Step::FermentationFit(_) => {
                if let Some(training) = &mut self.fermenting {
                    training.fit_next()?;
                }
            }
            Step::FermentationForward => {
                self.fermentation = self.fermenting.take().map(FermentationTraining::finish);
            }
            Step::Mill => self.mill = Some(mill_model(data)?),
        }
        Ok(())
    }

    /// The three models once every step has run.
    pub fn finish(self, data: &Dataset) -> Option<Predictions> {
        Some(Predictions {
            ticks: data.len(),
            oee: self.oee?,
            fermentation: self.fermentation?,
            mill: self.mill?,
        })
    }
}

/// Checks that `data` has enough ticks.
pub fn check(data: &Dataset) -> Result<(), PredictionError> {
    if data.len() < MIN_TICKS {
        return Err(PredictionError::TooFewTicks { have: data.len() });
    }
    Ok(())
}

/// Trains and evaluates the three models on `history`.
pub fn train(history: &History) -> Result<Predictions, PredictionError> {
    let data = Dataset::from_history(history);
    check(&data)?;
    let mut training = Training::default();
    for step in STEPS {
        training.run(step, &data)?;
    }
    Ok(training.finish(&data).expect("every step ran"))
}

/// One exported prediction: which model, which target, when, and the value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PredictionLine {
    /// `oee`, `fermentation` or `mill`.
    pub model: String,
    /// What it predicts: a fact name, `oee`, or `anomaly_score`.
    pub target: String,
    /// Plant minute.
    pub minute: u64,
    /// The prediction.
    pub value: f64,
}

/// The predictions as JSON lines: the OEE and Brix predictions of the held-out rows and the
/// mill's anomaly score of every row.
pub fn to_json_lines(p: &Predictions) -> String {
    let mut lines = Vec::new();
    let mut push = |model: &str, target: &str, minute: u64, value: f64| {
        let line = PredictionLine {
            model: model.to_owned(),
            target: target.to_owned(),
            minute,
            value,
        };
        lines.push(serde_json::to_string(&line).expect("lines serialise"));
    };
    for pair in &p.oee.test {
        push("oee", "oee", pair.minute, pair.predicted);
    }
    for pair in &p.fermentation.brix_test {
        push(
            "fermentation",
            "fbe_06_gravity_brix",
            pair.minute,
            pair.predicted,
        );
    }
    for &(minute, score) in &p.mill.scores {
        push("mill", "anomaly_score", minute, score);
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// What reading a file of JSON lines gave: the good lines, and each bad line's number
/// (counting from 1) with the reason.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Imported {
    /// Lines that are predictions.
    pub lines: Vec<PredictionLine>,
    /// Lines that are not, with why.
    pub errors: Vec<(usize, String)>,
}

/// Longest model or target name an imported line may carry.
pub const MAX_NAME_CHARS: usize = 64;

/// The prediction on one line of JSON, or why it is not one, in words.
fn read_line(line: &str) -> Result<PredictionLine, String> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| {
        if e.to_string().starts_with("number out of range") {
            "a number is out of range".to_owned()
        } else {
            "not JSON".to_owned()
        }
    })?;
    let object = value
        .as_object()
        .ok_or("not a JSON object with model, target, minute and value")?;
    let name = |field: &str| -> Result<String, String> {
        match object.get(field) {
            None => Err(format!("the field \"{field}\" is missing")),
            Some(serde_json::Value::String(text)) if text.trim().is_empty() => {
                Err(format!("\"{field}\" is empty"))
            }
            Some(serde_json::Value::String(text)) if text.chars().count() > MAX_NAME_CHARS => Err(
                format!("\"{field}\" is longer than {MAX_NAME_CHARS} characters"),
            ),
            Some(serde_json::Value::String(text)) => Ok(text.clone()),
            Some(_) => Err(format!("\"{field}\" is not text")),
        }
    };
    let model = name("model")?;
    let target = name("target")?;
    let minute = match object.get("minute") {
        None => return Err("the field \"minute\" is missing".to_owned()),
        Some(m) => m
            .as_u64()
            .ok_or("\"minute\" is not a whole number of plant minutes")?,
    };
    let value = match object.get("value") {
        None => return Err("the field \"value\" is missing".to_owned()),
        Some(v) => v.as_f64().ok_or("\"value\" is not a number")?,
    };
    if !value.is_finite() {
        return Err("\"value\" is not a finite number".to_owned());
    }
    Ok(PredictionLine {
        model,
        target,
        minute,
        value,
    })
}

/// Reads JSON lines of predictions, keeping the good ones and reporting every bad one by its
/// number with the reason in words. Blank lines and a byte-order mark are skipped.
pub fn from_json_lines(text: &str) -> Imported {
    let mut imported = Imported::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match read_line(line.trim()) {
            Ok(p) => imported.lines.push(p),
            Err(why) => imported.errors.push((n + 1, why)),
        }
    }
    imported
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::record_run;
    use crate::Scenario;

    fn data(ticks: u64) -> Dataset {
        Dataset::from_history(&record_run(Scenario::MonteCarlo, 42, ticks))
    }

    #[test]
    fn too_little_history_says_how_many_ticks_are_missing() {
        let history = record_run(Scenario::MonteCarlo, 1, 50);
        let error = train(&history).unwrap_err();
        assert_eq!(error, PredictionError::TooFewTicks { have: 50 });
        assert_eq!(
            error.to_string(),
            "the models need at least 120 ticks of history and the run has 50: run 70 more ticks"
        );
    }

    #[test]
    fn the_models_train_on_the_past_and_are_measured_on_the_rest() {
        let history = record_run(Scenario::MonteCarlo, 42, 1_200);
        let p = train(&history).unwrap();
        assert_eq!(p.ticks, 1_200);
        assert_eq!((p.oee.train_rows, p.oee.test_rows), (840, 360));
        assert!(p.oee.test.iter().all(|t| t.minute > 840 * 6));
        assert!(p.oee.mae.is_finite() && p.oee.r2.is_finite());
        assert!(
            p.oee.r2 > 0.0,
            "the line's state explains some OEE: {}",
            p.oee.r2
        );
        assert_eq!(
            p.fermentation.train_rows + p.fermentation.test_rows,
            1_200 - LAGS
        );
        assert_eq!(p.fermentation.errors.len(), 5);
        for e in &p.fermentation.errors {
            assert!(e.model_mae.is_finite() && e.naive_mae.is_finite(), "{e:?}");
        }
        assert_eq!(p.mill.scores.len(), 1_200);
        assert!(p.mill.threshold > 0.0);
        assert!((0.0..=1.0).contains(&p.mill.explained));
        assert!(p.mill.both.iter().all(|m| p.mill.flagged.contains(m)));
    }

    #[test]
    fn the_oee_model_recovers_a_linear_relation() {
        // OEE made an exact linear function of the conveyor speed and the capper jam.
        let mut d = data(300);
        for row in &mut d.rows {
            row[OEE] = 10.0 + 0.5 * row[catalog::CONVEYOR_SPEED.index()]
                - 7.0 * row[catalog::CAPPER_JAM.index()];
        }
        let m = oee_model(&d).unwrap();
        assert!(m.mae < 1e-9, "{}", m.mae);
        assert!((m.intercept - 10.0).abs() < 1e-9, "{}", m.intercept);
        assert!((m.coefficients[1] - 0.5).abs() < 1e-9);
    }

    #[test]
    fn a_steady_fermenter_is_forecast_and_its_final_gravity_found() {
        // Brix falling 0.05 per tick from 14 reaches 3 after 220 ticks.
        let mut d = data(200);
        let brix = catalog::FERM_A_BRIX.index();
        for (t, row) in d.rows.iter_mut().enumerate() {
            row[brix] = 14.0 - 0.05 * t as f64 / 2.0;
        }
        let m = fermentation_model(&d).unwrap();
        let e = &m.errors[1];
        assert_eq!(e.fact, "fbe_06_gravity_brix");
        assert!(e.model_mae < 0.01, "{e:?}");
        let hours = m.hours_to_final_gravity.unwrap();
        let expected = (m.brix_now - 3.0) / 0.025 * 6.0 / 60.0;
        assert!((hours - expected).abs() < 2.0, "{hours} against {expected}");
    }

    #[test]
    fn an_outlier_of_the_mill_scores_above_the_threshold() {
        let mut d = data(400);
        let rpm = catalog::MOTOR_RPM.index();
        let temp = catalog::MOTOR_TEMP.index();
        d.rows[390][rpm] = 1e4;
        d.rows[390][temp] = -500.0;
        let m = mill_model(&d).unwrap();
        assert!(m.flagged.contains(&d.minutes[390]), "{:?}", m.flagged);
    }

    #[test]
    fn json_lines_round_trip_and_bad_lines_are_named() {
        let p = train(&record_run(Scenario::MonteCarlo, 3, 300)).unwrap();
        let text = to_json_lines(&p);
        let back = from_json_lines(&text);
        assert!(back.errors.is_empty());
        assert_eq!(
            back.lines.len(),
            p.oee.test.len() + p.fermentation.brix_test.len() + 300
        );
        let mut broken: Vec<&str> = text.lines().take(3).collect();
        broken.insert(1, "{\"model\": \"oee\"}");
        broken.push("");
        broken.push("not json");
        broken
            .push("{\"model\":\"mill\",\"target\":\"anomaly_score\",\"minute\":6,\"value\":1e999}");
        let imported = from_json_lines(&broken.join("\n"));
        assert_eq!(imported.lines.len(), 3);
        let numbers: Vec<usize> = imported.errors.iter().map(|e| e.0).collect();
        assert_eq!(numbers, [2, 6, 7]);
        assert_eq!(imported.errors[0].1, "the field \"target\" is missing");
        assert_eq!(imported.errors[1].1, "not JSON");
        assert_eq!(imported.errors[2].1, "a number is out of range");

        let long = "m".repeat(MAX_NAME_CHARS + 1);
        let odd = [
            format!("\u{feff}{}", text.lines().next().unwrap()),
            format!("{{\"model\":\"{long}\",\"target\":\"t\",\"minute\":1,\"value\":1}}"),
            "{\"model\":\"\",\"target\":\"t\",\"minute\":1,\"value\":1}".to_owned(),
            "{\"model\":\"a\",\"target\":\"t\",\"minute\":-1,\"value\":1}".to_owned(),
            "[1, 2]".to_owned(),
        ];
        let imported = from_json_lines(&odd.join("\n"));
        assert_eq!(
            imported.lines.len(),
            1,
            "a byte-order mark is not part of the line"
        );
        let reasons: Vec<&str> = imported.errors.iter().map(|e| e.1.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "\"model\" is longer than 64 characters",
                "\"model\" is empty",
                "\"minute\" is not a whole number of plant minutes",
                "not a JSON object with model, target, minute and value",
            ]
        );
    }
}
