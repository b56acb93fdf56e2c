package a

import (
	"context"
	"log"
)

// Regression: discarding the stop func of context.AfterFunc is the documented
// idiom when the callback should run whenever ctx ends. Only a kept stop func
// that some path forgets is a finding.

type Stream struct {
	conn *Conn
}

func (st *Stream) closeWhenDone(ctx context.Context) {
	context.AfterFunc(ctx, func() { // ok: AfterFunc's stop discarded on purpose
		if err := st.conn.Close(); err != nil {
			log.Printf("close stream: %v", err)
		}
	})
}

func (st *Stream) closeWhenDoneAssigned(ctx context.Context) {
	_ = context.AfterFunc(ctx, func() { st.conn.Close() }) // ok: AfterFunc's stop discarded on purpose
}

func (st *Stream) readFrame(ctx context.Context) ([]string, error) {
	stop := context.AfterFunc(ctx, func() { st.conn.Close() }) // ok: called on both paths
	rows, err := st.conn.Query(ctx, "next frame")
	if !stop() {
		return nil, ctx.Err()
	}
	return rows, err
}

func (st *Stream) readFrameLeak(ctx context.Context) ([]string, error) {
	stop := context.AfterFunc(ctx, func() { st.conn.Close() }) // want `the stop function stop returned by context\.AfterFunc is not called on the path that returns at line 41; call it on every path \(defer stop\(\) after the call\) to unregister the callback`
	rows, err := st.conn.Query(ctx, "next frame")
	if err != nil {
		return nil, err
	}
	stop()
	return rows, nil
}
