#include "cli_app.h"

int main(int argc, char** argv) { return perfleak::cli::RunCli(argc, argv); }
