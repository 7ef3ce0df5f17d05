import Foundation

/// The files of a training bundle: metrics.json (for programs), metrics.md (for people), reliability.csv
/// (tidy, one row per model and bin) and checkpoints/<variant>.ckpt (the best epoch's state, tensor-core format).
enum TrainingReport {
  static func files(_ result: TrainingResult) -> [String: Data] {
    var files: [String: Data] = [
      "metrics.json": Data(json(result).rendered().utf8),
      "metrics.md": Data(markdown(result).utf8),
      "reliability.csv": Data(reliabilityCSV(result).utf8),
    ]
    for model in result.models {
      if let checkpoint = model.checkpoint { files["checkpoints/\(model.variant).ckpt"] = Data(checkpoint.encoded()) }
    }
    return files
  }

  static func qualityJSON(_ q: PredictionQuality) -> JSONValue {
    .object([
      ("auc", .number(q.auc)), ("logloss", .number(q.logLoss)), ("calibration", .number(q.calibration)),
      ("reliability", q.reliability.json),
    ])
  }

  static func json(_ result: TrainingResult) -> JSONValue {
    var data: [(String, JSONValue)] = [
      ("train_examples", .int(result.trainExamples)), ("validation_examples", .int(result.validationExamples)),
      ("validation_ctr", .number(result.validationCTR)),
    ]
    if let cvr = result.validationCVR { data.append(("validation_cvr", .number(cvr))) }
    var entries: [(String, JSONValue)] = [("data", .object(data))]
    if let bayes = result.bayes {
      var oracle: [(String, JSONValue)] = [("click", qualityJSON(bayes))]
      if let conversion = result.bayesConversion { oracle.append(("conversion", qualityJSON(conversion))) }
      entries.append(("bayes_optimal", .object(oracle)))
    }
    entries.append(
      (
        "models",
        .object(
          result.models.map { model in
            var fields: [(String, JSONValue)] = [
              ("model", .string(model.model)), ("best_epoch", .int(model.bestEpoch)),
              ("epochs_run", .int(model.validationLogLoss.count)),
              ("validation_logloss_by_epoch", .array(model.validationLogLoss.map(JSONValue.number))),
              ("click", qualityJSON(model.click)),
            ]
            if let conversion = model.conversion { fields.append(("conversion", qualityJSON(conversion))) }
            if model.checkpoint != nil { fields.append(("checkpoint", .string("checkpoints/\(model.variant).ckpt"))) }
            return (model.variant, .object(fields))
          })
      ))
    return .object(entries)
  }

  static func format(_ value: Double, _ digits: Int = 4) -> String {
    value.isFinite ? String(format: "%.\(digits)f", value) : "–"
  }

  static func markdown(_ result: TrainingResult) -> String {
    var out = "# \(result.spec.name): offline training\n\n"
    out +=
      "\(result.trainExamples) training and \(result.validationExamples) validation impressions logged with a uniform-random policy "
    out += "in `\(result.spec.environment.name)`; validation CTR \(format(result.validationCTR)). "
    out +=
      "Up to \(result.settings.epochs) epochs of mini-batches of \(result.settings.batch), early stopping after \(result.settings.patience) "
    out +=
      "epochs without a better validation log loss. Metrics are on the validation impressions at each model's best epoch.\n\n"
    out += "| model | plugin | AUC | log loss | calibration | best epoch / run |\n|---|---|---|---|---|---|\n"
    if let bayes = result.bayes {
      out +=
        "| Bayes-optimal (true p) | oracle | \(format(bayes.auc)) | \(format(bayes.logLoss)) | \(format(bayes.calibration, 3)) | |\n"
    }
    for m in result.models {
      out +=
        "| \(m.variant) | \(m.model) | \(format(m.click.auc)) | \(format(m.click.logLoss)) | \(format(m.click.calibration, 3)) | \(m.bestEpoch) / \(m.validationLogLoss.count) |\n"
    }
    let conversions = result.models.filter { $0.conversion != nil }
    if !conversions.isEmpty {
      out += "\npCVR on clicked validation impressions (observed CVR \(format(result.validationCVR ?? .nan))):\n\n"
      out += "| model | AUC | log loss | calibration |\n|---|---|---|---|\n"
      if let bayes = result.bayesConversion {
        out +=
          "| Bayes-optimal (true p) | \(format(bayes.auc)) | \(format(bayes.logLoss)) | \(format(bayes.calibration, 3)) |\n"
      }
      for m in conversions {
        guard let q = m.conversion else { continue }
        out += "| \(m.variant) | \(format(q.auc)) | \(format(q.logLoss)) | \(format(q.calibration, 3)) |\n"
      }
    }
    out += "\nReliability (10 bins of predicted pCTR; mean predicted → observed rate, count):\n\n"
    out += "| model | " + (0..<10).map { "\(Double($0) / 10)–\(Double($0 + 1) / 10)" }.joined(separator: " | ") + " |\n"
    out += "|---|" + String(repeating: "---|", count: 10) + "\n"
    for m in result.models {
      let cells = m.click.reliability.bins.map { bin in
        bin.count == 0 ? "" : "\(format(bin.meanPredicted, 3)) → \(format(bin.observedRate, 3)) (\(bin.count))"
      }
      out += "| \(m.variant) | " + cells.joined(separator: " | ") + " |\n"
    }
    out +=
      "\nFiles: `metrics.json` (all metrics), `reliability.csv` (tidy reliability table), `checkpoints/` (each model's best epoch, AdLab checkpoint format), `resolved.json`, `manifest.json`.\n"
    return out
  }

  static func reliabilityCSV(_ result: TrainingResult) -> String {
    var out = "model,head,bin_lower,bin_upper,count,mean_predicted,observed_rate\n"
    func rows(_ name: String, _ head: String, _ table: ReliabilityTable) {
      for bin in table.bins {
        let mean = bin.meanPredicted.isNaN ? "" : "\(bin.meanPredicted)"
        let rate = bin.observedRate.isNaN ? "" : "\(bin.observedRate)"
        out += "\(name),\(head),\(bin.lower),\(bin.upper),\(bin.count),\(mean),\(rate)\n"
      }
    }
    if let bayes = result.bayes { rows("bayes_optimal", "click", bayes.reliability) }
    for m in result.models {
      rows(m.variant, "click", m.click.reliability)
      if let conversion = m.conversion { rows(m.variant, "conversion", conversion.reliability) }
    }
    return out
  }
}
