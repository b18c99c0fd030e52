// Umbrella header: everything a consumer of the perfleak library needs (the test
// PublicApi.UmbrellaIncludesEveryPublicHeader keeps it complete).
#pragma once

#include "perfleak/analysis.h"
#include "perfleak/batch.h"
#include "perfleak/column.h"
#include "perfleak/counter_log.h"
#include "perfleak/counter_path.h"
#include "perfleak/focus.h"
#include "perfleak/fwd.h"
#include "perfleak/log_input.h"
#include "perfleak/log_stitch.h"
#include "perfleak/log_summary.h"
#include "perfleak/memory_pressure.h"
#include "perfleak/read_options.h"
#include "perfleak/reader.h"
#include "perfleak/report.h"
#include "perfleak/report_part.h"
#include "perfleak/status.h"
#include "perfleak/tasklist.h"
#include "perfleak/time_format.h"
#include "perfleak/version.h"
#include "perfleak/writer.h"
