// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title L1Block
/// @notice The L1 attributes predeploy at 0x4200000000000000000000000000000000000015 (OP Stack specs:
/// protocol/deposits.md, ecotone/l1-attributes.md, isthmus/l1-attributes.md). The first transaction of every L2 block is a
/// deposit from the depositor account that writes the L1 origin's number, timestamp, base fee, blob base fee and hash, the
/// position of the block in its epoch and the system config's fee parameters. Storage layout and getters are OP Stack's,
/// so tools that read L1Block (by call or by slot) read ours. Our own implementation.
contract L1Block {
    /// @notice Caller is not the L1 attributes depositor account.
    error NotDepositor();

    /// @notice The L1 attributes depositor account (no known key); the only caller of the setters.
    address public constant DEPOSITOR_ACCOUNT = 0xDeaDDEaDDeAdDeAdDEAdDEaddeAddEAdDEAd0001;

    // slot 0: number | timestamp
    /// @notice The L1 origin's block number.
    uint64 public number;
    /// @notice The L1 origin's timestamp.
    uint64 public timestamp;
    // slot 1
    /// @notice The L1 origin's base fee.
    uint256 public basefee;
    // slot 2
    /// @notice The L1 origin's block hash.
    bytes32 public hash;
    // slot 3: sequenceNumber | blobBaseFeeScalar | baseFeeScalar
    /// @notice The L2 block's position in its epoch (0 for the first L2 block of an L1 origin).
    uint64 public sequenceNumber;
    /// @notice Scalar on the L1 blob base fee in the L1 data fee (system config).
    uint32 public blobBaseFeeScalar;
    /// @notice Scalar on the L1 base fee in the L1 data fee (system config).
    uint32 public baseFeeScalar;
    // slot 4
    /// @notice Versioned hash of the batcher address (system config).
    bytes32 public batcherHash;
    // slot 5, 6: pre-Ecotone fee parameters, kept for layout compatibility; unused by the fee formula.
    /// @notice Pre-Ecotone L1 fee overhead (unused).
    uint256 public l1FeeOverhead;
    /// @notice Pre-Ecotone L1 fee scalar (unused).
    uint256 public l1FeeScalar;
    // slot 7
    /// @notice The L1 origin's blob base fee (1 when the L1 block has no blob fee market).
    uint256 public blobBaseFee;
    // slot 8: operatorFeeConstant | operatorFeeScalar
    /// @notice Isthmus operator fee constant (system config).
    uint64 public operatorFeeConstant;
    /// @notice Isthmus operator fee scalar (system config).
    uint32 public operatorFeeScalar;
    // slot 9 (ours)
    /// @notice OPEN wei per ETH wei, scaled by 1e18 (system config): the rate the L1 data fee, an ETH amount, is charged
    /// in the gas token at. Zero charges no L1 data fee.
    uint256 public gasTokenPerEth;

    /// @notice The semantic version of this implementation.
    function version() external pure returns (string memory) {
        return "1.0.0-openledger";
    }

    /// @notice Ecotone attributes: packed calldata (164 bytes) after the selector of setL1BlockValuesEcotone().
    /// baseFeeScalar uint32 | blobBaseFeeScalar uint32 | sequenceNumber uint64 | timestamp uint64 | number uint64 |
    /// basefee uint256 | blobBaseFee uint256 | hash bytes32 | batcherHash bytes32.
    function setL1BlockValuesEcotone() external {
        _setEcotoneValues();
    }

    /// @notice Isthmus attributes: the Ecotone layout followed by operatorFeeScalar uint32 | operatorFeeConstant uint64 (176 bytes).
    function setL1BlockValuesIsthmus() external {
        _setEcotoneValues();
        assembly {
            // bytes 164..175: operatorFeeScalar (4) | operatorFeeConstant (8) -> slot 8 (constant in the low 8 bytes)
            sstore(operatorFeeConstant.slot, shr(160, calldataload(164)))
        }
    }

    /// @notice This chain's attributes: the Isthmus layout followed by gasTokenPerEth uint256 (208 bytes), as OP forks
    /// extend the layout under a new selector.
    function setL1BlockValuesOpenLedger() external {
        _setEcotoneValues();
        assembly {
            sstore(operatorFeeConstant.slot, shr(160, calldataload(164)))
            // bytes 176..207: gasTokenPerEth -> slot 9
            sstore(gasTokenPerEth.slot, calldataload(176))
        }
    }

    function _setEcotoneValues() private {
        if (msg.sender != DEPOSITOR_ACCOUNT) revert NotDepositor();
        assembly {
            // bytes 4..19: baseFeeScalar | blobBaseFeeScalar | sequenceNumber -> slot 3 (sequenceNumber lowest)
            sstore(sequenceNumber.slot, shr(128, calldataload(4)))
            // bytes 20..35: timestamp | number -> slot 0 (number lowest)
            sstore(number.slot, shr(128, calldataload(20)))
            sstore(basefee.slot, calldataload(36))
            sstore(blobBaseFee.slot, calldataload(68))
            sstore(hash.slot, calldataload(100))
            sstore(batcherHash.slot, calldataload(132))
        }
    }
}
