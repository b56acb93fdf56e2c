package a

import "errors"

var (
	errMigrationSlow   = errors.New("migration took longer than a minute")
	errMaintenanceOver = errors.New("maintenance window over")
)
